import Experiments
import Testing
import Toy

/// Sweep axes: value lists and ranges, categorical and derived axes, each value applied through the
/// setting's declaration; the cells' order and contents.
@Suite struct SweepAxisTests {
    static let base: ExperimentSpec = {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 200
        spec.steps = 6
        return spec
    }()

    @Test func rangesListsAndCategoricalValues() throws {
        #expect(try SweepAxis.parse("gamma=0:2:5", base: Self.base).values == ["0", "0.5", "1", "1.5", "2"])
        // 0.1 + 0.2 i would print as 0.30000000000000004 without the 12-digit rounding.
        #expect(try SweepAxis.parse("gamma=0.1:0.5:3", base: Self.base).values == ["0.1", "0.3", "0.5"])
        #expect(try SweepAxis.parse("lambda=0.2T:1T:5", base: Self.base).values == ["0.2T", "0.4T", "0.6T", "0.8T", "1T"])
        #expect(try SweepAxis.parse("steps=10:50:5", base: Self.base).values == ["10", "20", "30", "40", "50"])
        #expect(try SweepAxis.parse("solver=euler,heun", base: Self.base).values == ["euler", "heun"])
        #expect(try SweepAxis.parse("reflect-sigma=0:2,0.5:5", base: Self.base).values == ["0:2", "0.5:5"])
        let lambda = try SweepAxis.parse("lambda=0.2T:1T:5", base: Self.base)
        #expect(lambda.coordinates == [0.2, 0.4, 0.6, 0.8, 1] && lambda.label == "lambda (fraction of T)")
        #expect(try SweepAxis.parse("solver=euler,heun", base: Self.base).coordinates == nil)
    }

    /// Each value reaches the spec through the option's own parser, and nothing else changes.
    @Test func settingAxesChangeOnlyTheirSetting() throws {
        let cases: [(String, (ExperimentSpec) -> Bool)] = [
            ("gamma=0.25", { $0.gamma == 0.25 }),
            ("lambda=0.5T", { $0.lambda == .fraction(0.5) && $0.reflectionSteps == 3 }),
            ("solver=heun", { $0.solver == .heun }),
            ("inversion=ddim", { $0.inversion == .ddim }),
            ("sigma-max=40", { $0.sigmaMax == 40 }),
            ("reflect-sigma=0.5:2", { $0.reflectSigma == 0.5...2 }),
            ("guidance=1.5", { $0.guidance == 1.5 }),
            ("prior=exact", { $0.prior == .exact }),
        ]
        for (text, check) in cases {
            var spec = Self.base
            try SweepAxis.parse(text, base: Self.base).apply(0, to: &spec)
            #expect(check(spec), "\(text)")
            // Every other setting, as the file would record it, and the models are untouched.
            let name = String(text.prefix { $0 != "=" })
            let setting = try #require(ExperimentSpec.allSettings.first { $0.option.name == name })
            #expect(setting.encode(spec) != setting.encode(Self.base), "\(text) changed its setting")
            for other in ExperimentSpec.allSettings where other.option.name != name {
                #expect(other.encode(spec) == other.encode(Self.base), "\(text) changed \(other.option.name)")
            }
            #expect(spec.ideal == Self.base.ideal && spec.strong == Self.base.strong && spec.weak == Self.base.weak)
        }
    }

    @Test func derivedWindowAndWeightAxes() throws {
        var spec = Self.base
        try SweepAxis.parse("reflect-sigma-hi=1,5", base: Self.base).apply(1, to: &spec)
        #expect(spec.reflectSigma == 0...5)
        spec = Self.base
        try SweepAxis.parse("reflect-sigma-lo=0.5", base: Self.base).apply(0, to: &spec)
        #expect(spec.reflectSigma == 0.5...80)
        var windowed = Self.base
        windowed.reflectSigma = 0.1...3
        spec = windowed
        try SweepAxis.parse("reflect-sigma-hi=2", base: windowed).apply(0, to: &spec)
        #expect(spec.reflectSigma == 0.1...2)
        // weak 0.1/0.9: the left weight 0.4 leaves 0.6 to the right; the ideal and strong models stay.
        spec = Self.base
        try SweepAxis.parse("weak-weight-left=0.4", base: Self.base).apply(0, to: &spec)
        let weak = spec.weak.components.map(\.weight)
        #expect(weak[0] == 0.4 && abs(weak[1] - 0.6) < 1e-15)
        #expect(spec.strong == Self.base.strong && spec.ideal == Self.base.ideal)
        spec = Self.base
        try SweepAxis.parse("strong-weight-1=0.5", base: Self.base).apply(0, to: &spec)
        #expect(spec.strong.components.map(\.weight) == [0.5, 0.5] && spec.weak == Self.base.weak)
        // Three modes: the others keep their proportions (1:2) in the rest.
        var three = MixtureSpec(components: [1, 2, 1].map { ComponentSpec(weight: Double($0), mean: [0], std: 1) })
        three.setWeight(0.25, ofComponent: 2)
        let w = three.components.map(\.weight)
        #expect(abs(w[0] - 0.25) < 1e-15 && abs(w[1] - 0.5) < 1e-15 && w[2] == 0.25)
        // All others at 0: they share the rest equally.
        var missing = MixtureSpec(components: [0, 0, 1].map { ComponentSpec(weight: Double($0), mean: [0], std: 1) })
        missing.setWeight(0.4, ofComponent: 2)
        #expect(missing.components.map(\.weight) == [0.3, 0.3, 0.4])
    }

    /// The field axes: cfg of an experiment with a class, saturation kappa (length kept, else 0.8); a
    /// weight axis of a class-conditional experiment moves the mode's own component (the class's modes
    /// are not the first components), and is refused for a learned model.
    @Test func fieldAxes() throws {
        let guided = try DifferenceCase.named("guidance-over-1d").experiment
        var spec = guided
        try SweepAxis.parse("weak-cfg=0,1.5", base: guided).apply(1, to: &spec)
        #expect(spec.weak.cfg == 1.5 && spec.strong == guided.strong)
        #expect(throws: UsageError.self) { _ = try SweepAxis.parse("strong-cfg=1", base: Self.base) }
        spec = Self.base
        try SweepAxis.parse("strong-kappa=2", base: Self.base).apply(0, to: &spec)
        #expect(spec.strong.saturation == SaturationSpec(kappa: 2, length: 0.8) && spec.weak == Self.base.weak)
        var conditional = guided
        conditional.ideal.components.swapAt(0, 2)
        conditional.strong.components.swapAt(0, 2)
        conditional.weak.components.swapAt(0, 2)
        #expect(conditional.modeNames == ["centre", "left"] && conditional.modeComponents == [1, 2])
        spec = conditional
        try SweepAxis.parse("strong-weight-left=0.1", base: conditional).apply(0, to: &spec)
        #expect(spec.strong.components[2].weight == 0.1 && spec.strong.components[0].weight != 0.1)
        var learned = Self.base
        learned.weak = MixtureSpec(components: [], model: "w.model")
        #expect(throws: UsageError.self) { _ = try SweepAxis.parse("weak-weight-left=0.2", base: learned) }
    }

    /// Cell j of axes with n0 x n1 values has indices (j / n1, j mod n1), and its spec has exactly those values.
    @Test func cellsAreRowMajorFirstAxisOutermost() throws {
        let sweep = try Sweep(base: Self.base, axes: [try SweepAxis.parse("gamma=0,1,2", base: Self.base),
                                                       try SweepAxis.parse("solver=euler,heun", base: Self.base)])
        #expect(sweep.cellCount == 6)
        for j in 0..<6 {
            #expect(sweep.indices(ofCell: j) == [j / 2, j % 2])
            let spec = try sweep.spec(ofCell: j)
            #expect(spec.gamma == Double(j / 2) && spec.solver == (j % 2 == 0 ? .euler : .heun))
        }
        #expect(sweep.label(ofCell: 3) == "gamma=1, solver=heun")
    }

    @Test func runMetricNamesAreThoseOfARun() throws {
        var spec = Self.base
        spec.methods = [.strong]
        let result = try ExperimentRunner(spec: spec, threads: 1).run(.strong)
        #expect(RunMetrics(result, modeNames: spec.modeNames).names == RunMetrics.names(modeNames: spec.modeNames))
    }
}
