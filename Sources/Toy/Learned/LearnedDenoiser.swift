import Foundation

/// A trained denoiser D(x; sigma) = c_skip x + c_out F(c_in x, c_noise) (`EDMPreconditioning`) and the
/// score field it defines, s(x; sigma) = (D(x; sigma) - x) / sigma^2, usable wherever a mixture is (as the
/// strong or weak model of every sampler, through `ScoreModels`).
///
/// The score is computed in the cancellation-free form s = (c_out / sigma^2) F - x / (sigma^2 + sd^2)
/// (see `EDMPreconditioning`); it is finite for finite x and every sigma. Noise levels below
/// `EDMPreconditioning.minimumSigma` (1e-6), including sigma = 0 where a denoiser's score is undefined, are
/// evaluated at that level; samplers never ask for them (they evaluate at sigma_i > 0 only).
public struct LearnedDenoiser: Sendable, Equatable {
    public var network: DenoiserNetwork
    public var preconditioning: EDMPreconditioning
    /// How the model was made (nil for a hand-built one): written to and read from the model file.
    public var provenance: TrainingProvenance?

    public init(network: DenoiserNetwork, preconditioning: EDMPreconditioning, provenance: TrainingProvenance? = nil) {
        self.network = network
        self.preconditioning = preconditioning
        self.provenance = provenance
    }

    public var architecture: DenoiserArchitecture { network.architecture }

    /// Rows evaluated per pass (the workspace of a pass stays in cache).
    static let blockRows = 64

    /// Fills the workspace's input rows from x (rows x d, flat) at one noise level per row
    /// (`workspace.sigmas`), returning nothing; row b gets [c_in x_b, embedding(c_noise)].
    func prepareInput(_ x: UnsafePointer<Double>, rows: Int, _ workspace: NetworkWorkspace) {
        let a = architecture, d = a.dimension, width = a.inputWidth
        var previousSigma = Double.nan
        for b in 0..<rows {
            let sigma = workspace.sigmas[b]
            let c = preconditioning.coefficients(sigma: sigma)
            let row = workspace.input + b * width
            for j in 0..<d { row[j] = c.input * x[b * d + j] }
            if b > 0 && sigma == previousSigma {
                (row + d).update(from: row + d - width, count: width - d)
            } else {
                a.embedNoise(c.noise, into: row + d)
            }
            previousSigma = sigma
        }
    }

    /// Applies `body` to consecutive blocks of at most `blockRows` rows, each evaluated by `forward` at `sigma`.
    private func forBlocks(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                           _ body: (_ first: Int, _ rows: Int, _ workspace: NetworkWorkspace) -> Void) {
        let workspace = NetworkWorkspace(architecture: architecture, capacity: min(Self.blockRows, max(1, count)))
        var first = 0
        while first < count {
            let rows = min(workspace.capacity, count - first)
            for b in 0..<rows { workspace.sigmas[b] = sigma }
            prepareInput(x + first * architecture.dimension, rows: rows, workspace)
            network.forward(workspace, rows: rows)
            body(first, rows, workspace)
            first += rows
        }
    }

    /// out[i * d + j] = D(x_i; sigma)_j for i in 0 ..< count.
    public func denoise(_ x: UnsafePointer<Double>, count: Int, sigma: Double, into out: UnsafeMutablePointer<Double>) {
        let d = architecture.dimension, c = preconditioning.coefficients(sigma: sigma)
        forBlocks(x, count: count, sigma: sigma) { first, rows, workspace in
            for k in 0..<(rows * d) { out[first * d + k] = c.skip * x[first * d + k] + c.out * workspace.output[k] }
        }
    }

    /// D(x; sigma) at one point.
    public func denoise(at x: [Double], sigma: Double) -> [Double] {
        var out = [Double](repeating: 0, count: architecture.dimension)
        x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { o in
            if let xb = xs.baseAddress, let ob = o.baseAddress { denoise(xb, count: 1, sigma: sigma, into: ob) }
        } }
        return out
    }
}

extension LearnedDenoiser: ScoreField {
    public var dimension: Int { architecture.dimension }
    public var evaluationCost: Int { 1 }

    /// s = (c_out / sigma^2) F - x / (sigma^2 + sd^2); `streams` are not used (the field is deterministic).
    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        let d = architecture.dimension, c = preconditioning.coefficients(sigma: sigma)
        forBlocks(x, count: count, sigma: sigma) { first, rows, workspace in
            for k in 0..<(rows * d) {
                out[first * d + k] = c.scoreNetworkScale * workspace.output[k] - c.scoreSkipScale * x[first * d + k]
            }
        }
    }

    /// The Jacobian of the score in x (row-major d x d), ds/dx = (c_out c_in / sigma^2) dF/du - I / (sigma^2 + sd^2),
    /// with dF/du by forward mode through the network (d tangent passes). It is the Hessian of a log-density
    /// only when the learned field is conservative, which a network need not be: `exact` inversion uses
    /// it as the Jacobian of the step it inverts, which is what Newton's method needs.
    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        let d = architecture.dimension, c = preconditioning.coefficients(sigma: sigma)
        guard x.count == d else { return nil }
        let workspace = NetworkWorkspace(architecture: architecture, capacity: 1)
        workspace.sigmas[0] = sigma
        x.withUnsafeBufferPointer { xs in if let base = xs.baseAddress { prepareInput(base, rows: 1, workspace) } }
        network.forward(workspace, rows: 1)
        var jacobian = network.inputJacobian(workspace, row: 0)
        let scale = c.scoreNetworkScale * c.input
        for r in 0..<d {
            for j in 0..<d { jacobian[r * d + j] *= scale }
            jacobian[r * d + r] -= c.scoreSkipScale
        }
        return jacobian
    }
}
