import Dispatch

/// A pointer shared by workers that write disjoint ranges of it (or only read).
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

extension Array where Element == Double {
    /// The values in increasing order, by a least-significant-digit radix sort of their order-preserving
    /// bit patterns (positive numbers with the sign bit set, negative numbers with every bit flipped, so that
    /// unsigned order is numeric order; -0 sorts before +0, NaN is not expected), 11 bits per pass (at most
    /// 6 passes; a pass whose digit is the same for every value is skipped).
    ///
    /// Each pass splits the values into `threads` contiguous blocks: every worker counts its block's digits,
    /// the offsets follow in (digit, block) order, and every worker scatters its block in order. The sort
    /// is stable and its result is the unique sorted sequence, so it does not depend on `threads`.
    /// Cost: about 2 n reads and n writes of 8 bytes per pass, spread over the workers; 16 n bytes of
    /// scratch. Below 2^15 values it runs on one worker.
    func radixSorted(threads: Int) -> [Double] {
        let n = count
        guard n > 1 else { return self }
        let workers = n < (1 << 15) ? 1 : Swift.max(1, Swift.min(threads, 64))
        let bits = 11, buckets = 1 << bits, digitMask = UInt64(buckets - 1)
        var keys = [UInt64](unsafeUninitializedCapacity: n) { buffer, initialised in
            withUnsafeBufferPointer { values in
                for i in 0..<n {
                    let b = values[i].bitPattern
                    buffer[i] = (b >> 63) == 1 ? ~b : b | (1 << 63)
                }
            }
            initialised = n
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: workers * buckets)
        let blockStart: @Sendable (Int) -> Int = { w in n / workers * w + Swift.min(w, n % workers) }
        for pass in 0..<6 {
            let shift = UInt64(pass * bits)
            let moved = keys.withUnsafeMutableBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { table in
                        let src = SharedPointer(base: source.baseAddress!), dst = SharedPointer(base: target.baseAddress!)
                        let tab = SharedPointer(base: table.baseAddress!)
                        tab.base.initialize(repeating: 0, count: workers * buckets)
                        DispatchQueue.concurrentPerform(iterations: workers) { w in
                            let row = tab.base + w * buckets
                            for i in blockStart(w)..<blockStart(w + 1) { row[Int((src.base[i] >> shift) & digitMask)] += 1 }
                        }
                        // Skip a pass in which one digit holds every value.
                        for digit in 0..<buckets {
                            var total = 0
                            for w in 0..<workers { total += tab.base[w * buckets + digit] }
                            if total == n { return false }
                            if total > 0 { break }
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
                                let key = src.base[i]
                                let digit = Int((key >> shift) & digitMask)
                                dst.base[row[digit]] = key
                                row[digit] += 1
                            }
                        }
                        return true
                    }
                }
            }
            if moved { swap(&keys, &scratch) }
        }
        return keys.map { k in Double(bitPattern: (k >> 63) == 1 ? k & ~(1 << 63) : ~k) }
    }
}
