/// A Gaussian mixture whose components carry class labels (W2SD-NOTES section 8):
///
///     p(x)     = sum_k pi_k N(x; mu_k, S_k)                          (every component)
///     p(x | c) = sum_{k: c_k = c} (pi_k / Pi_c) N(x; mu_k, S_k),     Pi_c = sum_{k: c_k = c} pi_k
///
/// Both are ordinary `GaussianMixture`s (built and validated once), so every noise level, score,
/// Hessian and exact sample of either is exact as for any mixture. `GaussianMixture` itself is
/// unchanged: the labels live here.
public struct ClassConditionalMixture: Sendable, Equatable {
    /// The declared components, in declaration order (weights as declared).
    public let components: [GaussianComponent]
    /// labels[k] is the class of components[k].
    public let labels: [String]
    /// p(x): all components.
    public let marginal: GaussianMixture
    /// The distinct labels in order of first appearance.
    public let classes: [String]

    /// Validates the components as `GaussianMixture` does (errors name `components[k]`), and requires
    /// one label per component and at least one positive weight in every class.
    public init(_ components: [GaussianComponent], labels: [String]) throws {
        guard labels.count == components.count else {
            throw ToyError.invalid(input: "class labels", accepted: "one label per component (\(components.count); got \(labels.count))")
        }
        marginal = try GaussianMixture(components)
        self.components = components
        self.labels = labels
        var seen: [String] = []
        for label in labels where !seen.contains(label) { seen.append(label) }
        classes = seen
        for label in seen where !zip(components, labels).contains(where: { $1 == label && $0.weight > 0 }) {
            throw ToyError.invalid(input: "class '\(label)'", accepted: "at least one component with weight > 0 in every class")
        }
    }

    /// p(x | c): the components of class c with their weights renormalised (by `GaussianMixture`).
    public func conditional(_ label: String) throws -> GaussianMixture {
        guard classes.contains(label) else {
            throw ToyError.invalid(input: "class '\(label)'", accepted: "one of the labels \(classes.joined(separator: ", "))")
        }
        return try GaussianMixture(zip(components, labels).filter { $0.1 == label }.map(\.0))
    }

    /// The classifier-free guided field s + w (s_c - s) of class `label` with guidance weight `weight`.
    public func guided(_ label: String, weight: Double) throws -> ClassifierFreeGuidance {
        try ClassifierFreeGuidance(unconditional: marginal, conditional: conditional(label), weight: weight)
    }
}
