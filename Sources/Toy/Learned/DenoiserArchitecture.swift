import Foundation

/// The shape of the denoiser network F of a `LearnedDenoiser`: a multilayer perceptron with SiLU
/// activations on the preconditioned input and a Fourier embedding of the noise level.
///
///     u_0 = [c_in x (d values), c_noise, cos(w_k c_noise), sin(w_k c_noise) for k = 1 ... K],  w_k = 2^(k-1)
///     u_{l+1} = silu(W_l u_l + b_l),  l = 0 ..< depth          (width units each)
///     F = W_depth u_depth + b_depth                              (d outputs, linear)
///
/// silu(z) = z sigmoid(z). The input has d + 1 + 2K values. Parameters are stored layer after layer, each
/// layer as its weight matrix in input-major order (W_l[i, o] at offset i * outputs + o) followed by its
/// bias: the order of the model file.
public struct DenoiserArchitecture: Sendable, Equatable, Codable {
    public var dimension: Int
    /// Units per hidden layer.
    public var width: Int
    /// Hidden layers (>= 1).
    public var depth: Int
    /// K: Fourier frequency pairs of the noise embedding (0 keeps c_noise alone).
    public var frequencies: Int

    public static let widthRange = 1...1024
    public static let depthRange = 1...16
    public static let frequencyRange = 0...16
    public static let dimensionRange = 1...64

    public init(dimension: Int, width: Int, depth: Int, frequencies: Int = 4) throws {
        guard Self.dimensionRange.contains(dimension) else {
            throw ToyError.invalid(input: "dimension", accepted: "an integer from 1 to \(Self.dimensionRange.upperBound) (got \(dimension))")
        }
        guard Self.widthRange.contains(width) else {
            throw ToyError.invalid(input: "width", accepted: "an integer from 1 to \(Self.widthRange.upperBound) (got \(width))")
        }
        guard Self.depthRange.contains(depth) else {
            throw ToyError.invalid(input: "depth", accepted: "an integer from 1 to \(Self.depthRange.upperBound) (got \(depth))")
        }
        guard Self.frequencyRange.contains(frequencies) else {
            throw ToyError.invalid(input: "frequencies", accepted: "an integer from 0 to \(Self.frequencyRange.upperBound) (got \(frequencies))")
        }
        self.dimension = dimension
        self.width = width
        self.depth = depth
        self.frequencies = frequencies
    }

    /// Re-checks a decoded value (a file may hold anything).
    public func validated() throws -> DenoiserArchitecture {
        try DenoiserArchitecture(dimension: dimension, width: width, depth: depth, frequencies: frequencies)
    }

    /// d + 1 + 2K.
    public var inputWidth: Int { dimension + 1 + 2 * frequencies }

    /// (inputs, outputs) of each of the depth + 1 affine layers.
    public var layerShapes: [(inputs: Int, outputs: Int)] {
        (0...depth).map { l in (l == 0 ? inputWidth : width, l == depth ? dimension : width) }
    }

    /// Offset of each layer's weights in the parameter vector; its bias follows at offset + inputs * outputs.
    public var layerOffsets: [Int] {
        var offsets: [Int] = [], offset = 0
        for shape in layerShapes {
            offsets.append(offset)
            offset += shape.inputs * shape.outputs + shape.outputs
        }
        return offsets
    }

    public var parameterCount: Int { layerShapes.reduce(0) { $0 + $1.inputs * $1.outputs + $1.outputs } }

    /// Writes the noise embedding [c_noise, cos(w_k c_noise), sin(w_k c_noise)] (1 + 2K values) to `out`.
    @inlinable
    public func embedNoise(_ cNoise: Double, into out: UnsafeMutablePointer<Double>) {
        out[0] = cNoise
        var frequency = 1.0
        for k in 0..<frequencies {
            out[1 + 2 * k] = cos(frequency * cNoise)
            out[2 + 2 * k] = sin(frequency * cNoise)
            frequency *= 2
        }
    }
}
