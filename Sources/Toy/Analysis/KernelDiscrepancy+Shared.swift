import Foundation

extension GaussianKernelMMD {
    /// The kernel of `ideal` with the fixed `referenceSeed`, equal to `GaussianKernelMMD(ideal:)` (its
    /// bandwidth is a function of the ideal model only), formed once per process for the last few ideal
    /// models: the median heuristic sorts 499,500 pair distances, which would otherwise be repeated by
    /// every run of a study against the same ideal model.
    public static func shared(ideal: GaussianMixture) -> GaussianKernelMMD {
        SharedKernels.instance.kernel(ideal: ideal)
    }
}

/// The kernels formed so far, most recent last, at most `capacity` of them (a process that meets more
/// ideal models forms the oldest again when it needs it).
private final class SharedKernels: @unchecked Sendable {
    static let instance = SharedKernels()
    static let capacity = 8
    private let lock = NSLock()
    private var kernels: [(ideal: GaussianMixture, kernel: GaussianKernelMMD)] = []

    func kernel(ideal: GaussianMixture) -> GaussianKernelMMD {
        lock.lock()
        if let found = kernels.first(where: { $0.ideal == ideal }) {
            lock.unlock()
            return found.kernel
        }
        lock.unlock()
        let formed = GaussianKernelMMD(ideal: ideal)
        lock.lock(); defer { lock.unlock() }
        if !kernels.contains(where: { $0.ideal == ideal }) {
            kernels.append((ideal, formed))
            if kernels.count > Self.capacity { kernels.removeFirst() }
        }
        return formed
    }
}
