import Foundation

extension ScoreDifference {
    /// The per-point quantities: the classes' log-masses log E_C and offsets O_C, and every model's L_a.
    /// `update` refills the same storage for the next point; all of it is unsafe storage allocated once
    /// (no allocation, bounds check or exclusivity check per point). A class, so that the plans read it
    /// without copying; one point serves one thread.
    final class Point {
        let union: ScoreDifference
        let dimension: Int
        /// log E_C = log sum_{k in C} e^(l_k(x)) per class (pruned as the type's comment says).
        let classLogMass: UnsafeMutablePointer<Double>
        /// O_C = sum_{k in C} e^(l_k - log E_C) (m_k - m_ref), flat [C d + j].
        let classOffset: UnsafeMutablePointer<Double>
        /// L_a = log p_a(x; sigma) = log sum_C pi^a_C E_C for every model a.
        let logDensities: UnsafeMutablePointer<Double>
        /// Work space: l_k, e^(l_k - max_{j in C} l_j), the classes' largest l_k and masses, m_ref, and
        /// 2 d values for the component differences.
        private let l: UnsafeMutablePointer<Double>, relative: UnsafeMutablePointer<Double>, top: UnsafeMutablePointer<Double>,
                    mass: UnsafeMutablePointer<Double>, referenceScore: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
        /// Read-only copies of the union's class data: componentClass[k], the prune threshold
        /// 2^-60 / |C| per class, and classLogWeights [a G + C].
        private let componentClass: UnsafeMutablePointer<Int>
        private let pruneThreshold: UnsafeMutablePointer<Double>
        private let classLogWeights: UnsafeMutablePointer<Double>
        private let storage: UnsafeMutablePointer<Double>
        private let components: Int, classes: Int, models: Int

        /// The relative weight below which a component leaves its class's sums: 2^-60 / |C| (see the type's comment).
        static let pruneScale = 0x1p-60

        /// Storage for the union's points (call `update` before reading).
        init(_ union: ScoreDifference) {
            self.union = union
            let d = union.dimension, count = union.means.count, classes = union.classCount, models = union.modelCount
            (dimension, components, self.classes, self.models) = (d, count, classes, models)
            let sizes = [classes, classes * d, models, count, count, classes, classes, d, 2 * d, classes, models * classes]
            storage = .allocate(capacity: sizes.reduce(0, +))
            storage.initialize(repeating: 0, count: sizes.reduce(0, +))
            var offsets: [Int] = [], next = 0
            for size in sizes { offsets.append(next); next += size }
            classLogMass = storage + offsets[0]
            classOffset = storage + offsets[1]
            logDensities = storage + offsets[2]
            l = storage + offsets[3]
            relative = storage + offsets[4]
            top = storage + offsets[5]
            mass = storage + offsets[6]
            referenceScore = storage + offsets[7]
            scratch = storage + offsets[8]
            pruneThreshold = storage + offsets[9]
            classLogWeights = storage + offsets[10]
            for c in 0..<classes { pruneThreshold[c] = Self.pruneScale / Double(union.classSizes[c]) }
            for a in 0..<models {
                for c in 0..<classes { classLogWeights[a * classes + c] = union.classLogWeights[a][c] }
            }
            componentClass = .allocate(capacity: max(1, count))
            componentClass.initialize(from: union.componentClass, count: count)
        }

        deinit {
            storage.deallocate()
            componentClass.deallocate()
        }

        /// The quantities at x.
        convenience init(_ union: ScoreDifference, _ x: [Double]) {
            self.init(union)
            update(x)
        }

        /// The quantities at x (its first `dimension` coordinates; fewer is a programming error, checked).
        func update(_ x: [Double]) {
            precondition(x.count >= dimension, "ScoreDifference.Point: \(x.count) coordinates for dimension \(dimension)")
            x.withUnsafeBufferPointer { update($0.baseAddress!) }
        }

        /// The quantities at x (d coordinates).
        func update(_ x: UnsafePointer<Double>) {
            // d = 2 as a constant: the coordinate loops unroll, with the same operations in the same order.
            if dimension == 2 { fill(x, dimension: 2) } else { fill(x, dimension: dimension) }
        }

        @inline(__always)
        private func fill(_ x: UnsafePointer<Double>, dimension d: Int) {
            let count = components, classes = self.classes, table = union.table
            // l_k for every component, and the reference: the component of largest l_k.
            var reference = 0
            for k in 0..<count {
                l[k] = table.logDensity(k, at: x, dimension: d)
                if l[k] > l[reference] { reference = k }
            }
            table.score(reference, at: x, into: referenceScore, scratch: scratch)
            // Each class's largest l_k, then e^(l_k - that) in lanes (every argument <= 0).
            for c in 0..<classes { top[c] = -.infinity }
            for k in 0..<count { top[componentClass[k]] = max(top[componentClass[k]], l[k]) }
            for k in 0..<count { relative[k] = l[k] - top[componentClass[k]] }
            exponentiateNonPositive(relative, count: count)
            for c in 0..<classes { mass[c] = 0 }
            for i in 0..<(classes * d) { classOffset[i] = 0 }
            for k in 0..<count {
                let c = componentClass[k], e = relative[k]
                guard e >= pruneThreshold[c] else { continue }
                mass[c] += e
                if k != reference {
                    table.addDifference(k, reference, referenceScore: referenceScore, times: e, into: classOffset + c * d, scratch: scratch,
                                        dimension: d)
                }
            }
            for c in 0..<classes {
                classLogMass[c] = top[c] + Foundation.log(mass[c])
                for j in 0..<d { classOffset[c * d + j] /= mass[c] }
            }
            for a in 0..<models {
                let weights = classLogWeights + a * classes
                var best = -Double.infinity
                for c in 0..<classes where weights[c] > -.infinity { best = max(best, weights[c] + classLogMass[c]) }
                guard best.isFinite else { logDensities[a] = best; continue }
                var sum = 0.0
                for c in 0..<classes where weights[c] > -.infinity { sum += Foundation.exp(weights[c] + classLogMass[c] - best) }
                logDensities[a] = best + Foundation.log(sum)
            }
        }

        /// out += coefficient (O_C - O_D); nothing when the coefficient is 0 (an underflowed term).
        @inline(__always)
        func addClassDifference(_ c: Int, _ d: Int, times coefficient: Double, into out: UnsafeMutablePointer<Double>) {
            guard coefficient != 0 else { return }
            for j in 0..<dimension { out[j] += coefficient * (classOffset[c * dimension + j] - classOffset[d * dimension + j]) }
        }
    }
}

/// values[i] = e^(values[i]) for i < count and arguments <= 0, eight at a time in lanes (`expNonPositive`:
/// relative error 2.2e-16; arguments below -708 give at most 3.3e-308).
func exponentiateNonPositive(_ values: UnsafeMutablePointer<Double>, count: Int) {
    var start = 0
    while start < count {
        let width = min(8, count - start)
        var lanes = Lanes(repeating: 0)
        for i in 0..<width { lanes[i] = values[start + i] }
        let e = expNonPositive(lanes)
        for i in 0..<width { values[start + i] = e[i] }
        start += 8
    }
}
