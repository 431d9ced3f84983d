/// The matrix kernels of the network, on contiguous row-major [rows x columns] buffers.
///
/// Every output element is accumulated in one fixed order that does not depend on how many rows a call
/// processes or how rows and columns are blocked, so a batch gives bit for bit the values of its rows
/// evaluated one at a time (and the training gradient of a fixed shard is the same on any thread).
/// Products and sums are separate roundings (no fused multiply-add): the order is the arithmetic.
enum DenseKernels {
    /// y[b, o] = bias[o] + x[b, 0] w[0, o] + x[b, 1] w[1, o] + ... (left to right, i ascending), w
    /// input-major [inputs x outputs]. A nil bias means 0 (the tangent of a layer): the sum starts at 0.
    ///
    /// Register-blocked: four rows times eight outputs (`Lanes`) stay in registers for the whole sum over
    /// i, so each weight vector, once loaded, serves four rows and no partial sum goes through memory.
    /// The outputs past the last multiple of eight (all of them for the d outputs of the last layer) are
    /// summed in scalars, eight rows at a time (eight independent sums hide the adder's latency). Every
    /// path adds the same products in the same order, so the blocking changes no bit.
    @inline(__always)
    static func affine(_ x: UnsafePointer<Double>, rows: Int, inputs: Int, weights w: UnsafePointer<Double>,
                       bias: UnsafePointer<Double>?, outputs: Int, into y: UnsafeMutablePointer<Double>) {
        let lanes = Lanes.scalarCount
        let blocked = outputs - outputs % lanes
        func load(_ p: UnsafePointer<Double>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
        func store(_ v: Lanes, _ p: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self) }
        var o = 0
        while o < blocked {
            let start = bias.map { load($0 + o) } ?? Lanes(repeating: 0)
            let column = w + o
            var b = 0
            while b + 4 <= rows {
                let x0 = x + b * inputs, x1 = x0 + inputs, x2 = x1 + inputs, x3 = x2 + inputs
                var (s0, s1, s2, s3) = (start, start, start, start)
                var row = column
                for i in 0..<inputs {
                    let v = load(row)
                    s0 += Lanes(repeating: x0[i]) * v
                    s1 += Lanes(repeating: x1[i]) * v
                    s2 += Lanes(repeating: x2[i]) * v
                    s3 += Lanes(repeating: x3[i]) * v
                    row += outputs
                }
                let y0 = y + b * outputs + o
                store(s0, y0); store(s1, y0 + outputs); store(s2, y0 + 2 * outputs); store(s3, y0 + 3 * outputs)
                b += 4
            }
            while b < rows {
                let xb = x + b * inputs
                var s = start
                for i in 0..<inputs { s += Lanes(repeating: xb[i]) * load(column + i * outputs) }
                store(s, y + b * outputs + o)
                b += 1
            }
            o += lanes
        }
        while o < outputs {
            let start = bias?[o] ?? 0
            let column = w + o
            var b = 0
            while b + 8 <= rows {
                let xb = x + b * inputs
                var s = (start, start, start, start, start, start, start, start)
                for i in 0..<inputs {
                    let v = column[i * outputs]
                    s.0 += xb[i] * v; s.1 += xb[inputs + i] * v; s.2 += xb[2 * inputs + i] * v; s.3 += xb[3 * inputs + i] * v
                    s.4 += xb[4 * inputs + i] * v; s.5 += xb[5 * inputs + i] * v; s.6 += xb[6 * inputs + i] * v; s.7 += xb[7 * inputs + i] * v
                }
                let yb = y + b * outputs + o
                yb[0] = s.0; yb[outputs] = s.1; yb[2 * outputs] = s.2; yb[3 * outputs] = s.3
                yb[4 * outputs] = s.4; yb[5 * outputs] = s.5; yb[6 * outputs] = s.6; yb[7 * outputs] = s.7
                b += 8
            }
            while b < rows {
                let xb = x + b * inputs
                var s = start
                for i in 0..<inputs { s += xb[i] * column[i * outputs] }
                y[b * outputs + o] = s
                b += 1
            }
            o += 1
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
    /// (relative error ~4e-16): e = exp(-|z|), sigmoid(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) below,
    /// one division per lane (the numerator, 1 or e, chosen before dividing: the same quotient).
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
            let s = select(signMask(v), e, one) / (one + e)
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
