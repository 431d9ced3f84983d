/// Every error the mathematics can report. Each case names the input at fault and what is accepted.
public enum ToyError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An input value outside what is accepted: `input` names it, `accepted` says what would be.
    case invalid(input: String, accepted: String)
    /// A computation that did not reach its stated tolerance (e.g. `exact` inversion).
    case notConverged(what: String, detail: String)

    public var description: String {
        switch self {
        case let .invalid(input, accepted): return "\(input): \(accepted)"
        case let .notConverged(what, detail): return "\(what) did not converge: \(detail)"
        }
    }
}
