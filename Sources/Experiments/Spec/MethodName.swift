/// A method the experiments can run (`MethodCatalogue` maps each to its run).
public enum MethodName: String, CaseIterable, Codable, Sendable {
    /// i.i.d. samples of the ideal distribution (and of the strong and weak models): no sampler at all,
    /// so every metric of this row is its finite-sample floor at the run's particle count.
    case exact
    case exactStrong = "exact-strong"
    case exactWeak = "exact-weak"
    /// The ideal model sampled by the run's sampler: its distance to `exact` is the discretisation error.
    case idealSampled = "ideal-sampled"
    case strong, weak, w2sd, s2wd, autoguidance, resampling
    case advancedResampling = "advanced-resampling"
    /// Controls: W2SD with weak = strong (the reflection's own effect), and the bias-corrected reflection.
    case selfReflection = "self-reflection"
    case w2sdCorrected = "w2sd-corrected"

    /// The methods run when none are chosen.
    public static let defaults: [MethodName] = [.exact, .idealSampled, .strong, .weak, .w2sd]

    /// Whether the method draws exact samples (no sampler, no score evaluations).
    public var isExact: Bool { self == .exact || self == .exactStrong || self == .exactWeak }
}
