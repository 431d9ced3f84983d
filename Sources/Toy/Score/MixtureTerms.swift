/// A score field written as a fixed linear combination of mixture scores, s = sum_i c_i s_i: a mixture
/// (itself, coefficient 1), a classifier-free guided field ((1 - w) s + w s_c) and a linear combination of
/// such fields. Differences of two such fields can then be formed from differences of mixture scores,
/// which `ScoreDifference` computes without cancellation (`ScoreModels.differences(sigma:)`).
public struct MixtureTerms: Sendable {
    public var terms: [(coefficient: Double, mixture: GaussianMixture)]

    /// The terms of `field`, or nil when it is not such a combination (a saturated or learned field).
    public init?(_ field: any ScoreField) {
        if let mixture = field as? GaussianMixture {
            terms = [(1, mixture)]
        } else if let guided = field as? ClassifierFreeGuidance {
            terms = [(1 - guided.weight, guided.unconditional), (guided.weight, guided.conditional)]
        } else if let combination = field as? LinearScoreCombination,
                  let first = MixtureTerms(combination.first), let second = MixtureTerms(combination.second) {
            terms = first.terms.map { (combination.firstCoefficient * $0.coefficient, $0.mixture) }
                + second.terms.map { (combination.secondCoefficient * $0.coefficient, $0.mixture) }
        } else {
            return nil
        }
    }

    /// sum_i c_i: 1 for every field this type builds from scores of normalised densities.
    public var total: Double { terms.reduce(0) { $0 + $1.coefficient } }
}
