/// What produced a recorded trajectory point.
public enum TrajectoryPhase: String, Sendable, Codable {
    /// The prior sample at sigma_0.
    case start
    /// The first half of a reflection: the denoising step M^down (strong for W2SD) to sigma_{i+1}.
    case reflectionDown
    /// The second half: the inversion M_inv^up (weak for W2SD) back to sigma_i.
    case reflectionUp
    /// x + gamma (R(x) - x), recorded only when gamma != 1 (otherwise it equals `reflectionUp`).
    case reflected
    /// The ordinary denoising step to sigma_{i+1}.
    case step
    /// EDM churn: x_hat = x + sqrt(sigma_hat^2 - sigma_i^2) S_noise eps, at level i with sigma = sigma_hat.
    case churned
    /// Restart: the noise that takes x from sigma_j back up to t_max (recorded at level j, sigma t_max).
    case restartNoise
    /// Restart: a Heun step of the restart's backward pass (recorded at level j, with its own sigma).
    case restartStep
}

/// One recorded point: the noise-level index it sits at (0 ... T), its sigma, its phase and position.
public struct TrajectoryPoint: Sendable, Equatable {
    public var level: Int
    public var sigma: Double
    public var phase: TrajectoryPhase
    public var position: [Double]
}

/// The path of one particle through a run, including both half-moves of every reflection.
public struct Trajectory: Sendable, Equatable {
    public var particle: Int
    public var points: [TrajectoryPoint]
}

/// Records the first particles of a chunk (those whose global index is below the requested count).
struct TrajectoryRecorder {
    let firstParticle: Int
    let recordedCount: Int
    let dimension: Int
    var trajectories: [Trajectory]

    init(firstParticle: Int, chunkCount: Int, requested: Int, dimension: Int) {
        self.firstParticle = firstParticle
        recordedCount = max(0, min(chunkCount, requested - firstParticle))
        self.dimension = dimension
        trajectories = (0..<recordedCount).map { Trajectory(particle: firstParticle + $0, points: []) }
    }

    mutating func record(_ x: UnsafePointer<Double>, level: Int, sigma: Double, phase: TrajectoryPhase) {
        let d = dimension
        for p in 0..<recordedCount {
            trajectories[p].points.append(TrajectoryPoint(
                level: level, sigma: sigma, phase: phase, position: Array(UnsafeBufferPointer(start: x + p * d, count: d))))
        }
    }
}
