/// The inversion error of the paper's Table 13: a random perturbation of every inversion a sampler makes
/// (W2SD inverts with the weak model, S2WD with the strong one, Advanced Re-Sampling with the weak one
/// to find its direction), with eps ~ N(0, I) drawn afresh from the particle's own stream.
///
/// Two units for the strength k, for the inversion from y at sigma_{i+1} up to sigma_i:
///
/// - `score`: the inverted model's score becomes s + k eps at every evaluation (`PerturbedScore`).
///   With the paper's inversion x = y - h_i (s(y; sigma_i) + k eps), h_i = sigma_i (sigma_i - sigma_{i+1}),
///   the point moves by -h_i k eps = -sigma_i (sigma_i - sigma_{i+1}) k eps (with `ddim`, by
///   -sigma_{i+1} (sigma_i - sigma_{i+1}) k eps). This is the pinned convention of W2SD-NOTES section 4
///   and the `--inversion-error` of the command line. `exact` inversion refuses it (no Hessian).
/// - `eps`: an error k eps in the predicted noise eps_hat = -sigma s of an eps-prediction network, whose
///   Euler step moves by (sigma_i - sigma_{i+1}) eps_hat: after the inversion (of any kind, `exact`
///   included) the point gets the kick -(sigma_i - sigma_{i+1}) k eps. For the paper's inversion this
///   is exactly the score-unit perturbation of strength k / sigma_i at step i (k / sigma_{i+1} for `ddim`),
///   so the score units weigh the error sigma_i times more at high noise than the eps units do.
public struct InversionError: Sendable, Equatable {
    public enum Units: String, Sendable, CaseIterable {
        case score, eps
    }

    public var strength: Double
    public var units: Units

    /// k must be finite and >= 0.
    public init(strength k: Double, units: Units = .score) throws {
        guard k.isFinite, k >= 0 else {
            throw ToyError.invalid(input: "inversion error k", accepted: "a finite number >= 0 (got \(k))")
        }
        strength = k
        self.units = units
    }

    /// No perturbation.
    public static let none = InversionError(unchecked: 0, units: .score)

    private init(unchecked k: Double, units: Units) {
        strength = k
        self.units = units
    }

    /// For `eps` units: x <- x - (sigma - next) k eps for each particle of the batch, eps ~ N(0, I) from the
    /// particle's stream, after an inversion from `next` up to `sigma`. Nothing for `score` units (their
    /// perturbation lives in the inverted field) or k = 0.
    func kick(_ x: UnsafeMutablePointer<Double>, count: Int, dimension d: Int, from next: Double, to sigma: Double,
              streams: inout ParticleStreams) {
        guard units == .eps, strength > 0 else { return }
        let scale = (sigma - next) * strength
        for p in 0..<count { for j in 0..<d { x[p * d + j] -= scale * streams.generators[p].nextNormal() } }
    }
}
