import Foundation

/// The network F of a `LearnedDenoiser`: an architecture and its parameters (see `DenoiserArchitecture`
/// for the function and the parameter layout). A value type; evaluation scratch lives in a
/// `NetworkWorkspace` allocated per batch, never per sample.
public struct DenoiserNetwork: Sendable, Equatable {
    public let architecture: DenoiserArchitecture
    public internal(set) var parameters: [Double]

    /// A network with the given parameters; their count must match the architecture and all must be finite.
    public init(architecture: DenoiserArchitecture, parameters: [Double]) throws {
        guard parameters.count == architecture.parameterCount else {
            throw ToyError.invalid(input: "parameters", accepted: "\(architecture.parameterCount) values for this architecture (got \(parameters.count))")
        }
        if let bad = parameters.firstIndex(where: { !$0.isFinite }) {
            throw ToyError.invalid(input: "parameters", accepted: "finite numbers (parameter \(bad) is \(parameters[bad]))")
        }
        self.architecture = architecture
        self.parameters = parameters
    }

    /// Seeded initialisation (LeCun normal): every weight of a layer with n inputs is N(0, 1/n), every
    /// bias 0, drawn in parameter order from stream 0 of `seed` (so equal seeds give equal bits).
    public init(architecture: DenoiserArchitecture, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed, stream: 0)
        var parameters: [Double] = []
        parameters.reserveCapacity(architecture.parameterCount)
        for shape in architecture.layerShapes {
            let scale = 1 / Double(shape.inputs).squareRoot()
            for _ in 0..<(shape.inputs * shape.outputs) { parameters.append(scale * rng.nextNormal()) }
            parameters.append(contentsOf: repeatElement(0, count: shape.outputs))
        }
        self.architecture = architecture
        self.parameters = parameters
    }
}

/// Scratch buffers for evaluating (and differentiating) a network on up to `capacity` rows at once:
/// the input rows, and per hidden layer the pre-activations z, the gates sigmoid(z) and the activations
/// z sigmoid(z), then the outputs; for the backward pass two [capacity x max(width, input)] buffers.
/// One allocation; owned by one thread at a time.
final class NetworkWorkspace {
    let architecture: DenoiserArchitecture
    let capacity: Int
    private let storage: UnsafeMutablePointer<Double>
    let input: UnsafeMutablePointer<Double>
    let pre: [UnsafeMutablePointer<Double>]
    let gate: [UnsafeMutablePointer<Double>]
    let act: [UnsafeMutablePointer<Double>]
    let output: UnsafeMutablePointer<Double>
    let gradientA: UnsafeMutablePointer<Double>
    let gradientB: UnsafeMutablePointer<Double>
    /// Per-row noise levels and coefficients (filled by the caller of `forward`).
    let sigmas: UnsafeMutablePointer<Double>

    init(architecture: DenoiserArchitecture, capacity: Int) {
        self.architecture = architecture
        self.capacity = capacity
        let a = architecture, n = capacity, w = a.width, wide = max(a.width, a.inputWidth)
        let total = n * a.inputWidth + 3 * a.depth * n * w + n * a.dimension + 2 * n * wide + n
        storage = .allocate(capacity: total)
        storage.initialize(repeating: 0, count: total)
        var cursor = storage
        func take(_ count: Int) -> UnsafeMutablePointer<Double> { defer { cursor += count }; return cursor }
        input = take(n * a.inputWidth)
        var pre: [UnsafeMutablePointer<Double>] = [], gate: [UnsafeMutablePointer<Double>] = [], act: [UnsafeMutablePointer<Double>] = []
        for _ in 0..<a.depth { pre.append(take(n * w)); gate.append(take(n * w)); act.append(take(n * w)) }
        (self.pre, self.gate, self.act) = (pre, gate, act)
        output = take(n * a.dimension)
        gradientA = take(n * wide)
        gradientB = take(n * wide)
        sigmas = take(n)
    }

    deinit { storage.deallocate() }
}
