import Toy

/// One verification check, or one measurement: what it tests, its typed tables, its verdict and a
/// sentence of interpretation. A check passes or fails on a condition that follows from the theory; a
/// measurement has no such condition (a research outcome, positive or negative, is reported, never
/// turned into a failure) and fails only when it could not be made.
public struct CheckResult: Sendable {
    public var name: String
    public var tests: String
    public var tables: [ResultTable]
    /// A check: its condition held. A measurement: it was made (its numbers are finite).
    public var passed: Bool
    /// Whether this is a measurement rather than a check.
    public var isMeasurement: Bool
    /// "PASS" / "FAIL" for a check, "MEASURED" / "FAIL" for a measurement.
    public var word: String { passed ? (isMeasurement ? "MEASURED" : "PASS") : "FAIL" }
    /// One sentence with the numbers that decided `passed`.
    public var verdict: CheckText
    /// What the numbers of this run say, with those numbers.
    public var interpretation: CheckText
    /// Named numbers for JSON.
    public var numbers: [String: Double]
    /// Quantities measured at several step counts T, for the convergence figure (nil when the check has none).
    public var convergence: ConvergenceStudy?

    init(name: String, tests: String, tables: [ResultTable], passed: Bool, isMeasurement: Bool = false, verdict: CheckText,
                interpretation: CheckText, numbers: [String: Double], convergence: ConvergenceStudy? = nil) {
        self.isMeasurement = isMeasurement
        self.name = name
        self.tests = tests
        self.tables = tables
        self.passed = passed
        self.verdict = verdict
        self.interpretation = interpretation
        self.numbers = numbers
        self.convergence = convergence
    }
}

/// A quantity measured at step counts T that a check expects to fall like T^slope.
public struct StepSeries: Sendable, Equatable {
    public var label: String
    public var steps: [Int]
    public var values: [Double]

    init(label: String, steps: [Int], values: [Double]) {
        self.label = label
        self.steps = steps
        self.values = values
    }

    /// The least-squares slope of log value against log T.
    public var slope: Double { logLogSlope(x: steps.map(Double.init), y: values) }
}

/// The series of one check that share a quantity (one panel of the convergence figure).
public struct ConvergenceStudy: Sendable, Equatable {
    public var title: String
    /// The measured quantity (the y axis).
    public var quantity: String
    public var series: [StepSeries]

    init(title: String, quantity: String, series: [StepSeries]) {
        self.title = title
        self.quantity = quantity
        self.series = series
    }
}
