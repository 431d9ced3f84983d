import Foundation

/// A whole experiment as a JSON document: the ideal, strong and weak mixtures (any dimension) and the
/// sampler settings. Every problem is reported as `ToyError.invalid` whose input names the JSON path
/// at fault, e.g. `strong.components[2].covariance`, and says what is accepted.
///
///     {
///       "ideal":  { "components": [ { "name": "left", "weight": 0.5, "mean": [-4], "std": 0.8 }, ... ] },
///       "strong": { "components": [ { "weight": 0.3, "mean": [-4], "covariance": [[0.64]] }, ... ] },
///       "weak":   { "components": [ ... ] },
///       "sampler": { "steps": 50, "solver": "euler", "inversion": "paper", "lambda": 49, "gamma": 1,
///                    "sigmaMax": 80, "sigmaMin": 0.002, "rho": 7, "prior": "gaussian",
///                    "samples": 100000, "seed": 0, "guidance": 2 }
///     }
///
/// A component gives either `covariance` (a d x d array of rows, symmetric positive definite) or `std`
/// (covariance std^2 I, exactly as `GaussianComponent(weight:mean:std:)`). `name` (ideal only) labels the
/// mode in reports. Every `sampler` key is optional and defaults to the pinned value. Unknown keys are
/// errors (a typo must not be silently ignored).
public struct ExperimentFile: Codable, Sendable, Equatable {
    public var ideal: MixtureSpec
    public var strong: MixtureSpec
    public var weak: MixtureSpec
    public var sampler: SamplerSpec?

    public init(ideal: MixtureSpec, strong: MixtureSpec, weak: MixtureSpec, sampler: SamplerSpec? = nil) {
        self.ideal = ideal
        self.strong = strong
        self.weak = weak
        self.sampler = sampler
    }

    /// One mixture: its components in declaration order.
    public struct MixtureSpec: Codable, Sendable, Equatable {
        public var components: [ComponentSpec]

        public init(components: [ComponentSpec]) { self.components = components }

        public init(from decoder: any Decoder) throws {
            try ExperimentFile.rejectUnknownKeys(decoder, allowed: ["components"])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            components = try c.decode([ComponentSpec].self, forKey: .components)
        }
    }

    /// One component: weight (>= 0), mean, and either a full covariance or an isotropic std.
    public struct ComponentSpec: Codable, Sendable, Equatable {
        public var name: String?
        public var weight: Double
        public var mean: [Double]
        public var covariance: [[Double]]?
        public var std: Double?

        public init(name: String? = nil, weight: Double, mean: [Double], covariance: [[Double]]? = nil, std: Double? = nil) {
            self.name = name
            self.weight = weight
            self.mean = mean
            self.covariance = covariance
            self.std = std
        }

        public init(from decoder: any Decoder) throws {
            try ExperimentFile.rejectUnknownKeys(decoder, allowed: ["name", "weight", "mean", "covariance", "std"])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            weight = try c.decode(Double.self, forKey: .weight)
            mean = try c.decode([Double].self, forKey: .mean)
            covariance = try c.decodeIfPresent([[Double]].self, forKey: .covariance)
            std = try c.decodeIfPresent(Double.self, forKey: .std)
        }
    }

    /// Sampler settings; nil means the pinned default.
    public struct SamplerSpec: Codable, Sendable, Equatable {
        public var steps: Int?
        public var solver: String?
        public var inversion: String?
        public var inversionTolerance: Double?
        public var lambda: Int?
        public var gamma: Double?
        public var sigmaMax: Double?
        public var sigmaMin: Double?
        public var rho: Double?
        public var prior: String?
        public var samples: Int?
        public var seed: UInt64?
        public var guidance: Double?
        /// k of the paper's Table 13: W2SD's weak score gets k eps added during inversion (0 or absent: none).
        public var inversionError: Double?

        public init(steps: Int? = nil, solver: String? = nil, inversion: String? = nil, inversionTolerance: Double? = nil,
                    lambda: Int? = nil, gamma: Double? = nil, sigmaMax: Double? = nil, sigmaMin: Double? = nil,
                    rho: Double? = nil, prior: String? = nil, samples: Int? = nil, seed: UInt64? = nil, guidance: Double? = nil,
                    inversionError: Double? = nil) {
            self.steps = steps
            self.solver = solver
            self.inversion = inversion
            self.inversionTolerance = inversionTolerance
            self.lambda = lambda
            self.gamma = gamma
            self.sigmaMax = sigmaMax
            self.sigmaMin = sigmaMin
            self.rho = rho
            self.prior = prior
            self.samples = samples
            self.seed = seed
            self.guidance = guidance
            self.inversionError = inversionError
        }

        static let keys = ["steps", "solver", "inversion", "inversionTolerance", "lambda", "gamma", "sigmaMax",
                           "sigmaMin", "rho", "prior", "samples", "seed", "guidance", "inversionError"]

        public init(from decoder: any Decoder) throws {
            try ExperimentFile.rejectUnknownKeys(decoder, allowed: Set(Self.keys))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            steps = try c.decodeIfPresent(Int.self, forKey: .steps)
            solver = try c.decodeIfPresent(String.self, forKey: .solver)
            inversion = try c.decodeIfPresent(String.self, forKey: .inversion)
            inversionTolerance = try c.decodeIfPresent(Double.self, forKey: .inversionTolerance)
            lambda = try c.decodeIfPresent(Int.self, forKey: .lambda)
            gamma = try c.decodeIfPresent(Double.self, forKey: .gamma)
            sigmaMax = try c.decodeIfPresent(Double.self, forKey: .sigmaMax)
            sigmaMin = try c.decodeIfPresent(Double.self, forKey: .sigmaMin)
            rho = try c.decodeIfPresent(Double.self, forKey: .rho)
            prior = try c.decodeIfPresent(String.self, forKey: .prior)
            samples = try c.decodeIfPresent(Int.self, forKey: .samples)
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
            guidance = try c.decodeIfPresent(Double.self, forKey: .guidance)
            inversionError = try c.decodeIfPresent(Double.self, forKey: .inversionError)
        }
    }

    public init(from decoder: any Decoder) throws {
        try ExperimentFile.rejectUnknownKeys(decoder, allowed: ["ideal", "strong", "weak", "sampler"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ideal = try c.decode(MixtureSpec.self, forKey: .ideal)
        strong = try c.decode(MixtureSpec.self, forKey: .strong)
        weak = try c.decode(MixtureSpec.self, forKey: .weak)
        sampler = try c.decodeIfPresent(SamplerSpec.self, forKey: .sampler)
    }

    // MARK: - Reading

    /// Reads and decodes `path`; errors name the file and the JSON path at fault.
    public static func load(path: String) throws -> ExperimentFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw ToyError.invalid(input: "config file '\(path)'",
                                   accepted: exists ? (isDirectory.boolValue ? "a file, not a directory" : "a readable file")
                                                    : "an existing JSON file (no such file)")
        }
        return try decode(data, source: path)
    }

    /// Decodes a JSON document; `source` names it in errors.
    public static func decode(_ data: Data, source: String = "config") throws -> ExperimentFile {
        do {
            return try JSONDecoder().decode(ExperimentFile.self, from: data)
        } catch let error as DecodingError {
            throw ToyError.invalid(input: "\(source): \(describePath(error))", accepted: describeExpectation(error))
        } catch let error as ToyError {
            throw error
        } catch {
            throw ToyError.invalid(input: source, accepted: "a JSON experiment document (\(error))")
        }
    }

    /// The JSON path of a coding path, e.g. `strong.components[2].covariance`.
    public static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    private static func describePath(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            return jsonPath(context.codingPath + [key])
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return jsonPath(context.codingPath)
        @unknown default:
            return "(document)"
        }
    }

    private static func describeExpectation(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound:
            return "this key is required"
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(expected(type)) (\(context.debugDescription))"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?).map { " \($0.localizedDescription)" } ?? ""
                return "well-formed JSON (\(context.debugDescription)\(underlying))"
            }
            return "a valid value (\(context.debugDescription))"
        @unknown default:
            return "a valid experiment document"
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: return "a number"
        case is Int.Type, is UInt64.Type: return "an integer"
        case is String.Type: return "a string"
        case is [Double].Type: return "an array of numbers"
        case is [[Double]].Type: return "an array of rows (arrays of numbers)"
        default: return "a value of type \(type)"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// Throws for a key outside `allowed`, naming its path and the keys accepted (a nearest match first).
    static func rejectUnknownKeys(_ decoder: any Decoder, allowed: Set<String>) throws {
        guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
        for key in container.allKeys.map(\.stringValue).sorted() where !allowed.contains(key) {
            let path = jsonPath(decoder.codingPath + [AnyKey(stringValue: key)])
            throw ToyError.invalid(input: path, accepted: "one of the keys \(allowed.sorted().joined(separator: ", ")) (unknown key '\(key)')")
        }
    }

    // MARK: - Validation

    /// The three mixtures, validated; errors name the JSON path (prefixed by `source`).
    public func models(source: String = "config") throws -> ModelTriple {
        let ideal = try Self.mixture(self.ideal, "ideal", source: source)
        let strong = try Self.mixture(self.strong, "strong", source: source)
        let weak = try Self.mixture(self.weak, "weak", source: source)
        for (name, m) in [("strong", strong), ("weak", weak)] where m.dimension != ideal.dimension {
            throw ToyError.invalid(input: "\(source): \(name).components[0].mean",
                                   accepted: "\(ideal.dimension) coordinates, the dimension of ideal (got \(m.dimension))")
        }
        return try ModelTriple(ideal: ideal, strong: strong, weak: weak)
    }

    /// Mode names from `ideal.components[k].name`, nil where absent.
    public var modeNames: [String?] { ideal.components.map(\.name) }

    private static func mixture(_ spec: MixtureSpec, _ name: String, source: String) throws -> GaussianMixture {
        func fail(_ path: String, _ accepted: String) -> ToyError {
            ToyError.invalid(input: "\(source): \(name).\(path)", accepted: accepted)
        }
        guard let first = spec.components.first else { throw fail("components", "at least one component") }
        let d = first.mean.count
        var components: [GaussianComponent] = []
        for (k, c) in spec.components.enumerated() {
            let at = "components[\(k)]"
            if name != "ideal", c.name != nil {
                throw fail("\(at).name", "names on ideal components only (they label the modes)")
            }
            guard c.weight.isFinite, c.weight >= 0 else { throw fail("\(at).weight", "a finite number >= 0 (got \(c.weight))") }
            guard d >= 1 else { throw fail("components[0].mean", "at least one coordinate") }
            guard c.mean.count == d else { throw fail("\(at).mean", "\(d) coordinates, like components[0] (got \(c.mean.count))") }
            if let j = c.mean.firstIndex(where: { !$0.isFinite }) { throw fail("\(at).mean[\(j)]", "a finite number") }
            switch (c.covariance, c.std) {
            case (nil, nil):
                throw fail(at, "either \"covariance\" (a \(d) x \(d) matrix) or \"std\" (a number > 0)")
            case (.some, .some):
                throw fail(at, "only one of \"covariance\" and \"std\" (both given)")
            case let (nil, std?):
                guard std.isFinite, std > 0 else { throw fail("\(at).std", "a finite number > 0 (got \(std))") }
                components.append(GaussianComponent(weight: c.weight, mean: c.mean, std: std))
            case let (rows?, nil):
                guard rows.count == d else {
                    throw fail("\(at).covariance", "a \(d) x \(d) matrix: \(d) rows (got \(rows.count))")
                }
                for (r, row) in rows.enumerated() {
                    guard row.count == d else {
                        throw fail("\(at).covariance[\(r)]", "a row of \(d) numbers (got \(row.count))")
                    }
                    if let j = row.firstIndex(where: { !$0.isFinite }) { throw fail("\(at).covariance[\(r)][\(j)]", "a finite number") }
                }
                components.append(GaussianComponent(weight: c.weight, mean: c.mean, covariance: rows.flatMap { $0 }))
            }
        }
        guard spec.components.contains(where: { $0.weight > 0 }) else {
            throw fail("components", "at least one component with weight > 0 (all weights are zero)")
        }
        do {
            return try GaussianMixture(components)
        } catch let ToyError.invalid(input, accepted) {
            throw ToyError.invalid(input: "\(source): \(name).\(input)", accepted: accepted)
        }
    }

    /// The sampler settings, validated; errors name `sampler.<key>`.
    public func settings(source: String = "config") throws -> SamplerSettings {
        let s = sampler ?? SamplerSpec()
        func fail(_ key: String, _ accepted: String) -> ToyError {
            ToyError.invalid(input: "\(source): sampler.\(key)", accepted: accepted)
        }
        var settings = SamplerSettings()
        if let steps = s.steps {
            guard steps >= 2, steps <= 1_000_000 else { throw fail("steps", "an integer from 2 to 1000000 (got \(steps))") }
            settings.steps = steps
        }
        if let solver = s.solver {
            guard let value = Solver(rawValue: solver) else { throw fail("solver", "\"euler\" or \"heun\" (got \"\(solver)\")") }
            settings.solver = value
        }
        if let tolerance = s.inversionTolerance, !(tolerance.isFinite && tolerance > 0) {
            throw fail("inversionTolerance", "a finite number > 0 (got \(tolerance))")
        }
        if let inversion = s.inversion {
            switch inversion {
            case "paper": settings.inversion = .paper
            case "ddim": settings.inversion = .ddim
            case "exact": settings.inversion = s.inversionTolerance.map { .exact(tolerance: $0) } ?? .exactDefault
            default: throw fail("inversion", "\"paper\", \"ddim\" or \"exact\" (got \"\(inversion)\")")
            }
        }
        if let lambda = s.lambda {
            guard (0...settings.steps - 1).contains(lambda) else {
                throw fail("lambda", "an integer from 0 to steps - 1 = \(settings.steps - 1) (got \(lambda))")
            }
            settings.reflectionSteps = lambda
        }
        if let gamma = s.gamma {
            guard gamma.isFinite else { throw fail("gamma", "a finite number (got \(gamma))") }
            settings.gamma = gamma
        }
        let standard = NoiseSchedule.standard
        let sigmaMax = s.sigmaMax ?? standard.sigmaMax, sigmaMin = s.sigmaMin ?? standard.sigmaMin
        var rho = 7.0
        if case let .karras(_, _, r) = standard { rho = r }
        rho = s.rho ?? rho
        guard sigmaMax.isFinite, sigmaMax > 0 else { throw fail("sigmaMax", "a finite number > 0 (got \(sigmaMax))") }
        guard sigmaMin.isFinite, sigmaMin > 0, sigmaMin < sigmaMax else {
            throw fail("sigmaMin", "a finite number with 0 < sigmaMin < sigmaMax = \(sigmaMax) (got \(sigmaMin))")
        }
        guard rho.isFinite, rho > 0 else { throw fail("rho", "a finite number > 0 (got \(rho))") }
        settings.schedule = .karras(sigmaMax: sigmaMax, sigmaMin: sigmaMin, rho: rho)
        if let prior = s.prior, prior != "gaussian", prior != "exact" {
            throw fail("prior", "\"gaussian\" or \"exact\" (got \"\(prior)\")")
        }
        if let samples = s.samples, samples < 1 { throw fail("samples", "an integer >= 1 (got \(samples))") }
        if let guidance = s.guidance, !guidance.isFinite { throw fail("guidance", "a finite number (got \(guidance))") }
        if let k = s.inversionError {
            guard k.isFinite, k >= 0 else { throw fail("inversionError", "a finite number >= 0 (got \(k))") }
            if k > 0, settings.inversion.name == "exact" {
                throw fail("inversionError", "0 with \"exact\" inversion (a randomly perturbed score has no Hessian); use \"paper\" or \"ddim\"")
            }
        }
        do {
            return try settings.validated()
        } catch let ToyError.invalid(input, accepted) {
            throw ToyError.invalid(input: "\(source): sampler (\(input))", accepted: accepted)
        }
    }
}

extension ExperimentFile.MixtureSpec {
    /// The declared components of a mixture (weights as normalised by the mixture), covariances as rows.
    public init(_ mixture: GaussianMixture, names: [String?]? = nil) {
        let d = mixture.dimension
        components = mixture.components.enumerated().map { k, c in
            ExperimentFile.ComponentSpec(
                name: names.flatMap { k < $0.count ? $0[k] : nil }, weight: c.weight, mean: c.mean,
                covariance: (0..<d).map { r in Array(c.covariance[(r * d)..<((r + 1) * d)]) })
        }
    }
}
