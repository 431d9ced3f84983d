/// A method the experiments can run (the catalogue maps each to a `Sampler`, see `MethodCatalogue`).
public enum MethodName: String, CaseIterable, Codable, Sendable {
    case ideal, strong, weak, w2sd, s2wd, autoguidance, resampling
    case advancedResampling = "advanced-resampling"

    /// The methods run when none are chosen.
    public static let defaults: [MethodName] = [.ideal, .strong, .weak, .w2sd]
}
