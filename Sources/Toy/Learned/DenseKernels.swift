/// The matrix kernels of the network, on contiguous row-major [rows x columns] buffers.
///
/// Every output element is accumulated in one fixed order that does not depend on how many rows a call
/// processes or how rows are blocked, so a batch gives bit for bit the values of its rows evaluated one
/// at a time (and the training gradient of a fixed shard is the same on any thread). Rows are processed
/// four at a time so that each weight row, once loaded, serves four inputs; the innermost loops run over
/// contiguous outputs and vectorise without reassociating any sum.
enum DenseKernels {
    /// y[b, o] = bias[o] + sum_i x[b, i] w[i, o] (i ascending), w input-major [inputs x outputs].
    /// A nil bias means 0 (the tangent of a layer).
    @inline(__always)
    static func affine(_ x: UnsafePointer<Double>, rows: Int, inputs: Int, weights w: UnsafePointer<Double>,
                       bias: UnsafePointer<Double>?, outputs: Int, into y: UnsafeMutablePointer<Double>) {
        var b = 0
        while b + 4 <= rows {
            let y0 = y + b * outputs, y1 = y0 + outputs, y2 = y1 + outputs, y3 = y2 + outputs
            let x0 = x + b * inputs, x1 = x0 + inputs, x2 = x1 + inputs, x3 = x2 + inputs
            for o in 0..<outputs {
                let start = bias?[o] ?? 0
                y0[o] = start; y1[o] = start; y2[o] = start; y3[o] = start
            }
            for i in 0..<inputs {
                let (a0, a1, a2, a3) = (x0[i], x1[i], x2[i], x3[i])
                let row = w + i * outputs
                for o in 0..<outputs {
                    let v = row[o]
                    y0[o] += a0 * v; y1[o] += a1 * v; y2[o] += a2 * v; y3[o] += a3 * v
                }
            }
            b += 4
        }
        while b < rows {
            let yb = y + b * outputs, xb = x + b * inputs
            for o in 0..<outputs { yb[o] = bias?[o] ?? 0 }
            for i in 0..<inputs {
                let a = xb[i], row = w + i * outputs
                for o in 0..<outputs { yb[o] += a * row[o] }
            }
            b += 1
        }
    }

    /// dw[i, o] += sum_b x[b, i] dy[b, o] and dbias[o] += sum_b dy[b, o] (b ascending, one row at a time).
    @inline(__always)
    static func accumulateGradient(_ x: UnsafePointer<Double>, _ dy: UnsafePointer<Double>, rows: Int, inputs: Int,
                                   outputs: Int, weights dw: UnsafeMutablePointer<Double>, bias dbias: UnsafeMutablePointer<Double>) {
        for b in 0..<rows {
            let xb = x + b * inputs, g = dy + b * outputs
            for o in 0..<outputs { dbias[o] += g[o] }
            for i in 0..<inputs {
                let a = xb[i], row = dw + i * outputs
                for o in 0..<outputs { row[o] += a * g[o] }
            }
        }
    }

    /// dx[b, i] = sum_o dy[b, o] w[i, o]: a dot product over contiguous o, summed in four interleaved
    /// partial sums (o mod 4) combined as (s0 + s1) + (s2 + s3), then the tail: a fixed order.
    @inline(__always)
    static func backpropagate(_ dy: UnsafePointer<Double>, rows: Int, outputs: Int, weights w: UnsafePointer<Double>,
                              inputs: Int, into dx: UnsafeMutablePointer<Double>) {
        for b in 0..<rows {
            let g = dy + b * outputs, out = dx + b * inputs
            for i in 0..<inputs { out[i] = dot(g, w + i * outputs, count: outputs) }
        }
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        var k = 0
        while k + 4 <= count {
            s0 += a[k] * b[k]; s1 += a[k + 1] * b[k + 1]; s2 += a[k + 2] * b[k + 2]; s3 += a[k + 3] * b[k + 3]
            k += 4
        }
        var s = (s0 + s1) + (s2 + s3)
        while k < count { s += a[k] * b[k]; k += 1 }
        return s
    }

    /// gate = sigmoid(z) and act = z sigmoid(z) for `count` values, eight at a time with `expNonPositive`
    /// (relative error ~4e-16): e = exp(-|z|), sigmoid(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) below.
    /// The tail is padded to eight lanes, so every value is computed the same way wherever it lies.
    /// Finite for every finite z (e in (0, 1]).
    @inline(__always)
    static func silu(_ z: UnsafePointer<Double>, count: Int, gate: UnsafeMutablePointer<Double>, act: UnsafeMutablePointer<Double>) {
        var k = 0
        while k < count {
            let n = min(8, count - k)
            var v = Lanes(repeating: 0)
            if n == 8 {
                v = UnsafeRawPointer(z + k).loadUnaligned(as: Lanes.self)
            } else {
                for j in 0..<n { v[j] = z[k + j] }
            }
            let e = expNonPositive(negativeMagnitude(v))
            let one = Lanes(repeating: 1)
            let s = select(signMask(v), e / (one + e), one / (one + e))
            let a = v * s
            if n == 8 {
                UnsafeMutableRawPointer(gate + k).storeBytes(of: s, as: Lanes.self)
                UnsafeMutableRawPointer(act + k).storeBytes(of: a, as: Lanes.self)
            } else {
                for j in 0..<n { gate[k + j] = s[j]; act[k + j] = a[j] }
            }
            k += 8
        }
    }
}
