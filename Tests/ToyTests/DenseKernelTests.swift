import Foundation
import Testing
import TestSupport
@testable import Toy

/// The network's blocked kernels against their definitions written as plain loops: the blocking (four
/// rows times eight outputs in registers, scalar tails) and the one-division sigmoid must give the bits
/// of the defining order, since every stored model, sample and study result was computed in it.
@Suite struct DenseKernelTests {
    /// Values that exercise the rounding: ordinary sizes, some tiny or huge, signed zeros.
    static func value(_ rng: inout Xoshiro256StarStar) -> Double {
        switch Draw.integer(0...9, &rng) {
        case 0: return Draw.bool(&rng) ? 0 : -0.0
        case 1: return 1e-300 * rng.nextNormal()
        case 2: return 1e150 * rng.nextNormal()
        default: return rng.nextNormal() * Draw.logUniform(1e-3, 1e3, &rng)
        }
    }

    /// y[b, o] = bias[o] + x[b, 0] w[0, o] + x[b, 1] w[1, o] + ..., each product and each sum rounded,
    /// left to right (0 where there is no bias): the order `DenseKernels.affine` promises.
    static func definingAffine(_ x: [Double], rows: Int, inputs: Int, _ w: [Double], bias: [Double]?, outputs: Int) -> [Double] {
        var y = [Double](repeating: 0, count: rows * outputs)
        for b in 0..<rows {
            for o in 0..<outputs {
                var sum = bias?[o] ?? 0
                for i in 0..<inputs {
                    let product = x[b * inputs + i] * w[i * outputs + o]
                    sum = sum + product
                }
                y[b * outputs + o] = sum
            }
        }
        return y
    }

    /// Random shapes (rows 1 ... 23 across the four-row blocks, outputs 1 ... 40 across the eight-output
    /// blocks and their scalar tail, inputs 1 ... 70), with and without a bias: bit for bit the defining
    /// order (bit patterns compared, so a -0 for +0 counts).
    @Test func affineEqualsTheDefiningOrderBitForBit() {
        let failures = Property.check("blocked affine = defining order") { rng in
            let rows = Draw.integer(1...23, &rng), inputs = Draw.integer(1...70, &rng), outputs = Draw.integer(1...40, &rng)
            let x = (0..<(rows * inputs)).map { _ in Self.value(&rng) }
            let w = (0..<(inputs * outputs)).map { _ in Self.value(&rng) }
            let bias: [Double]? = Draw.bool(&rng, probability: 0.8) ? (0..<outputs).map { _ in Self.value(&rng) } : nil
            var y = [Double](repeating: .nan, count: rows * outputs)
            x.withUnsafeBufferPointer { xs in w.withUnsafeBufferPointer { ws in y.withUnsafeMutableBufferPointer { ys in
                if let bias {
                    bias.withUnsafeBufferPointer { bs in
                        DenseKernels.affine(xs.baseAddress!, rows: rows, inputs: inputs, weights: ws.baseAddress!, bias: bs.baseAddress!,
                                            outputs: outputs, into: ys.baseAddress!)
                    }
                } else {
                    DenseKernels.affine(xs.baseAddress!, rows: rows, inputs: inputs, weights: ws.baseAddress!, bias: nil,
                                        outputs: outputs, into: ys.baseAddress!)
                }
            } } }
            let expected = Self.definingAffine(x, rows: rows, inputs: inputs, w, bias: bias, outputs: outputs)
            if let k = y.indices.first(where: { y[$0].bitPattern != expected[$0].bitPattern }) {
                return "\(rows) x \(inputs) -> \(outputs), bias \(bias != nil): element (\(k / outputs), \(k % outputs)) is \(y[k]), defining order \(expected[k])"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// sigmoid(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0 (and -0), e = exp(-|z|) by
    /// `expNonPositive`, and act = z sigmoid(z): the kernel's single division with the numerator chosen
    /// first gives these bits, for counts crossing the eight-lane blocks and their padded tail.
    @Test func siluEqualsItsTwoBranchDefinitionBitForBit() {
        let failures = Property.check("silu = two-branch sigmoid") { rng in
            let count = Draw.integer(1...37, &rng)
            let z = (0..<count).map { _ in Draw.bool(&rng, probability: 0.1) ? 800 * rng.nextNormal() : Self.value(&rng) }
            var gate = [Double](repeating: .nan, count: count), act = gate
            z.withUnsafeBufferPointer { zs in gate.withUnsafeMutableBufferPointer { g in act.withUnsafeMutableBufferPointer { a in
                DenseKernels.silu(zs.baseAddress!, count: count, gate: g.baseAddress!, act: a.baseAddress!)
            } } }
            for k in 0..<count {
                let e = expNonPositive(-abs(z[k]))
                let sigmoid = z[k].sign == .minus ? e / (1 + e) : 1 / (1 + e)
                if gate[k].bitPattern != sigmoid.bitPattern || act[k].bitPattern != (z[k] * sigmoid).bitPattern {
                    return "z \(z[k]) (value \(k) of \(count)): gate \(gate[k]), act \(act[k]); defined \(sigmoid), \(z[k] * sigmoid)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
