/// The claim's own yardstick for a weak model, weighted by the sampler's schedule:
///
///     P = sum over reflecting steps i < lambda of h_i E_{x ~ p*(x; sigma_i)} |Delta1(x; sigma_i) - Delta2(x; sigma_i)|,
///     h_i = sigma_i (sigma_i - sigma_{i+1}).
///
/// By Theorem 1 one reflection followed by the strong step lands h_i |Delta1 - Delta2| + O(h_i^2) away
/// from the ideal model's own Euler step, so P adds up, over the run, the first-order distance by which
/// W2SD misses the ideal sampler (taking the particles to sit at p*(x; sigma_i)). The claim Delta1 ~
/// Delta2 predicts that W2SD's end error grows with P across weak models.
public struct ScheduleWeightedMismatch: Sendable, Equatable {
    /// sigma_i of each reflecting step.
    public var sigmas: [Double]
    /// h_i E|Delta1 - Delta2| of each reflecting step.
    public var terms: [Double]
    /// The largest integration error estimate over the steps, times its h_i (see `Expectation`).
    public var integrationError: Double

    /// P, summed in step order.
    public var total: Double { terms.reduce(0, +) }

    /// Integrates E|Delta1 - Delta2| at each reflecting step of `settings` (levels spread over `threads`
    /// workers; each is independent and deterministic, so the result does not depend on the thread count).
    /// `gridPoints` sets the 2D trapezoid grid (see `Expectation`).
    public static func compute(_ models: ModelTriple, settings: SamplerSettings, threads: Int,
                               gridPoints: Int = 161) -> ScheduleWeightedMismatch {
        let all = settings.sigmas
        let steps = Array(0..<settings.lambda)
        let levels = steps.concurrentMap(threads: threads) { i -> (Double, Double) in
            let h = all[i] * (all[i] - all[i + 1])
            let e = Expectation.compute(under: models.ideal, sigma: all[i], components: 1, gridPoints: gridPoints) { x in
                let (delta1, delta2) = DeltaAlignment.deltas(models, at: x, sigma: all[i])
                var squared = 0.0
                for j in 0..<x.count { let g = delta1[j] - delta2[j]; squared += g * g }
                return [squared.squareRoot()]
            }
            return (h * e.values[0], h * e.error)
        }
        return ScheduleWeightedMismatch(sigmas: steps.map { all[$0] }, terms: levels.map(\.0),
                                        integrationError: levels.map(\.1).max() ?? 0)
    }
}
