import Dispatch

/// A pointer shared by workers that write disjoint ranges of it (or only read).
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

extension Array where Element == Double {
    /// The values in increasing order (the unique sorted sequence; -0 and +0, being equal, in either
    /// order; NaN is not expected and never traps).
    ///
    /// A least-significant-digit radix sort of fixed-point keys: with lo and hi the smallest and largest
    /// value, key(x) = floor((x - lo) * (2^44 - 1) / (hi - lo)), four passes of 11 bits. Rounding is
    /// monotone, so x <= y gives key(x) <= key(y): sorted by key, values are in order except within runs
    /// of equal keys (values closer than (hi - lo) / 2^44, rare), and a final pass sorts each such run by
    /// value. The passes move the values themselves (the key is recomputed from each value: a subtraction
    /// and a multiplication), so there is no key array to encode or decode.
    ///
    /// Each pass splits the values into `threads` contiguous blocks: every worker counts its block's digits,
    /// the offsets follow in (digit, block) order, and every worker scatters its block in order, so the
    /// sort is stable and the result does not depend on `threads`. Cost: about 2 n reads and n writes of 8
    /// bytes per pass, spread over the workers; 16 n bytes of memory besides the input. Below 2^12 values
    /// (or when hi - lo is not a positive finite number with a finite scale) the standard library's sort.
    func radixSorted(threads: Int) -> [Double] {
        let n = count
        guard n >= 1 << 12, let lo = self.min(), let hi = self.max() else { return sorted() }
        let scale = Double(Self.radixKeyLimit) / (hi - lo)
        guard hi > lo, scale.isFinite, (hi - lo).isFinite else { return sorted() }
        let workers = n < (1 << 15) ? 1 : Swift.max(1, Swift.min(threads, 64))
        let bits = 11, buckets = 1 << bits, digitMask = UInt64(buckets - 1)
        let key = FixedPointKey(lowest: lo, scale: scale)
        let blockStart: @Sendable (Int) -> Int = { w in n / workers * w + Swift.min(w, n % workers) }
        var counts = [Int](repeating: 0, count: workers * buckets)
        // Four passes: the input -> first -> result -> first -> result.
        var first = [Double](unsafeUninitializedCapacity: n) { _, initialised in initialised = n }
        var result = [Double](unsafeUninitializedCapacity: n) { _, initialised in initialised = n }
        withUnsafeBufferPointer { input in
            first.withUnsafeMutableBufferPointer { a in
                result.withUnsafeMutableBufferPointer { b in
                    counts.withUnsafeMutableBufferPointer { table in
                        let tab = SharedPointer(base: table.baseAddress!)
                        let original = SharedPointer(base: UnsafeMutablePointer(mutating: input.baseAddress!))
                        let even = SharedPointer(base: a.baseAddress!), odd = SharedPointer(base: b.baseAddress!)
                        for pass in 0..<(Self.radixKeyBits / bits) {
                            let shift = UInt64(pass * bits)
                            let src = pass == 0 ? original : pass % 2 == 1 ? even : odd, dst = pass % 2 == 0 ? even : odd
                            tab.base.initialize(repeating: 0, count: workers * buckets)
                            DispatchQueue.concurrentPerform(iterations: workers) { w in
                                let row = tab.base + w * buckets
                                for i in blockStart(w)..<blockStart(w + 1) { row[Int((key(src.base[i]) >> shift) & digitMask)] += 1 }
                            }
                            var offset = 0
                            for digit in 0..<buckets {
                                for w in 0..<workers {
                                    let c = tab.base[w * buckets + digit]
                                    tab.base[w * buckets + digit] = offset
                                    offset += c
                                }
                            }
                            DispatchQueue.concurrentPerform(iterations: workers) { w in
                                let row = tab.base + w * buckets
                                for i in blockStart(w)..<blockStart(w + 1) {
                                    let value = src.base[i]
                                    let digit = Int((key(value) >> shift) & digitMask)
                                    dst.base[row[digit]] = value
                                    row[digit] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        first = []
        // The runs of equal keys out of order, sorted by value.
        for run in Self.unorderedRuns(result, key: key, workers: workers, blockStart: blockStart) { result[run].sort() }
        return result
    }

    /// The runs of consecutive values with equal keys that are out of order: each inversion values[i] >
    /// values[i + 1] (found on `workers`, a pass of comparisons) lies inside such a run, extended both ways
    /// while the key stays equal; overlapping runs merged.
    private static func unorderedRuns(_ values: [Double], key: FixedPointKey, workers: Int,
                                      blockStart: @escaping @Sendable (Int) -> Int) -> [Range<Int>] {
        let n = values.count
        let inversions = [Int](0..<workers).concurrentMap(threads: workers) { w -> [Int] in
            values.withUnsafeBufferPointer { v in
                var found: [Int] = []
                for i in blockStart(w)..<Swift.min(blockStart(w + 1), n - 1) where v[i] > v[i + 1] { found.append(i) }
                return found
            }
        }.joined()
        var runs: [Range<Int>] = []
        for i in inversions {
            if let last = runs.last, last.contains(i) { continue }
            let k = key(values[i])
            var start = i, end = i + 1
            while start > 0, key(values[start - 1]) == k { start -= 1 }
            while end < n, key(values[end]) == k { end += 1 }
            runs.append(start..<end)
        }
        return runs
    }

    /// Bits of the fixed-point keys of `radixSorted` (four passes of 11 bits), and the largest key.
    static let radixKeyBits = 44
    static let radixKeyLimit: UInt64 = (1 << 44) - 1
}

/// The fixed-point key of `radixSorted`: floor((x - lowest) * scale) clamped to [0, 2^44 - 1] (NaN -> 0),
/// non-decreasing in x.
private struct FixedPointKey: Sendable {
    let lowest: Double
    let scale: Double

    @inline(__always) func callAsFunction(_ x: Double) -> UInt64 {
        let t = (x - lowest) * scale
        return t >= 0 ? (t < Double(Array<Double>.radixKeyLimit) ? UInt64(t) : Array<Double>.radixKeyLimit) : 0
    }
}
