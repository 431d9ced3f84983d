import Experiments
import Foundation
import Plot
import Toy

/// `toy-w2sd train`: train a learned denoiser (or check a saved one) and write it as a model file.
enum TrainCommand {
    static var subcommand: Subcommand { Subcommand(
        name: "train", summary: "train a learned denoiser (tiny network) on a toy and save it",
        header: """
        toy-w2sd train: train a small EDM-preconditioned denoiser network on a toy's ideal distribution by
        denoising score matching, and save it as a model file (a learned score field for the samplers).

        Examples:
          toy-w2sd train --preset strong-1d --out strong-1d.model
          toy-w2sd train --preset weak-1d-missing --out weak-1d.model     same network, data without the left mode
          toy-w2sd train --preset strong-2d --out strong-2d.model --evaluate
          toy-w2sd train --toy 2d --width 32 --depth 2 --steps 2000 --data set:64 --seed 3 --out small.model
          toy-w2sd train --preset strong-1d --checkpoints 300,1500 --out s.model   also s.step-300.model (= weak-1d), s.step-1500.model
          toy-w2sd train --preset strong-1d --seeds 0..4 --out s.model         s.seed-0.model ... s.seed-4.model
          toy-w2sd train --check strong-2d.model                         W1 of its 50-step samples vs the ideal score's
          toy-w2sd train --check strong-1d.model --weak weak-1d.model    W2SD with two learned models; Delta1 vs Delta2

        Presets:\(LearnedPreset.allCases.map { "\n  " + $0.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0) + $0.summary }.joined())

        Prints the recipe (training seed, stop step of a checkpoint), the trained sigma range (the exact 0.1%
        and 99.9% quantiles of the log-normal training noise levels; runs that evaluate the model outside it
        say how often), the loss (lambda(sigma) |D - x0|^2, averaged per tenth of the steps) and the loss on
        the toy's held-out set (fixed data and noise levels, the same for every recipe); with --evaluate or
        --check also W1 to the ideal distribution of T = 50 samples of the learned score, of the exact ideal
        score and of exact samples. Timings and evaluations/s go to stderr. With --checkpoints the report lists
        each checkpoint's held-out loss and file; with --seeds it is printed per seed, and --json writes an
        array of the per-seed reports. Model files are written after every seed has trained.
        """,
        groups: TrainOptions.groups,
        footer: "Exit status: 0 success, 1 a run failed, 2 bad input (including a bad or mismatched model file).",
        run: run) }

    static func run(_ arguments: [String]) throws {
        let args = try ParsedArguments(arguments, options: TrainOptions.groups.flatMap(\.options))
        let threads = try RunOptions.threads(args)
        let jsonPath = try OutputOptions.jsonPath(args), outPath = try args.value(TrainOptions.out)
        if let outPath { try OutputPaths.check(outPath, option: "out", extensions: [".model"]) }
        if let jsonPath, let outPath { try OutputPaths.checkDistinct([("json", jsonPath), ("out", outPath)]) }
        let samples = try args.value(TrainOptions.samples)
        if let checkPath = try args.value(TrainOptions.check) {
            let training = TrainOptions.groups.prefix(2).flatMap(\.options).map(\.name) + ["out", "evaluate"]
            if let extra = args.given.first(where: training.contains) {
                throw UsageError(message: "--\(extra) does not apply with --check (which evaluates a saved model); accepted: --check with --samples, --threads, --progress, --json")
            }
            let (model, toy) = try TrainOptions.loadModel(checkPath)
            if let weakPath = try args.value(TrainOptions.weak) {
                let (weak, weakToy) = try TrainOptions.loadModel(weakPath)
                guard weakToy == toy else {
                    throw UsageError(message: "--weak '\(weakPath)' is a \(weakToy.rawValue) model and --check '\(checkPath)' a \(toy.rawValue) one; accepted: two models of one toy")
                }
                let study = try LearnedStudy.run(strong: model, weak: weak, ideal: toy.ideal,
                                                 particles: samples ?? (toy == .one ? 100_000 : 50_000), threads: threads)
                if jsonPath != "-" { print(study.text) }
                if let jsonPath { try write(study, to: jsonPath) }
                return
            }
            let evaluation = try evaluate(model, toy: toy, samples: samples, threads: threads)
            let report = try TrainReport(model: model, toy: toy, evaluation: evaluation)
            if jsonPath != "-" { print(report.text) }
            if let jsonPath { try write(report, to: jsonPath) }
            return
        }
        if args.has(TrainOptions.weak) {
            throw UsageError(message: "--weak needs --check (the strong model); accepted: --check STRONG.model --weak WEAK.model")
        }
        guard outPath != nil || jsonPath != nil || args.has(TrainOptions.evaluate) else {
            throw UsageError(message: "nothing would be kept of the training; accepted: --out PATH.model, --json PATH and/or --evaluate")
        }
        let request = try TrainOptions.request(args)
        for option in [TrainOptions.seeds.name, TrainOptions.checkpoints.name] where args.given.contains(option) && outPath == nil {
            throw UsageError(message: "--\(option) writes model files named after --out, which is not given; accepted: --out NAME.model as well")
        }
        let files = outPath.map(request.modelFiles) ?? []
        for file in files where file.path != outPath { try OutputPaths.checkWritable(file.path, option: "out (\(file.path))") }
        if let jsonPath { try OutputPaths.checkDistinct([("json", jsonPath)] + files.map { ("out", $0.path) }) }
        // Train every seed, keeping the models in memory; the files are written after all training succeeded.
        var written: [(path: String, model: LearnedDenoiser)] = []
        var reports: [TrainReport] = []
        let heldOut = try request.toy.heldOutSet()
        for seed in request.seeds.map({ $0.map(Optional.some) }) ?? [nil] {
            let trainer = try request.trainer(seed: seed, threads: threads)
            let label = "training \(request.preset?.rawValue ?? request.toy.rawValue)" + (seed.map { " seed \($0)" } ?? "")
            let progress = TrainingProgressReporter(label: label, enabled: args.has(RunOptions.progress) || isatty(2) == 1)
            let start = DispatchTime.now().uptimeNanoseconds
            var checkpoints: [LearnedDenoiser] = []
            let model = try trainer.train(checkpoints: request.checkpoints, checkpoint: { checkpoints.append($0) }, progress: progress.update)
            progress.finish()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            FileHandle.standardError.write(Data("\(label): trained in \(NumberFormat.fixed(seconds, 1)) s (\(threads) thread\(threads == 1 ? "" : "s"))\n".utf8))
            let paths = files.filter { $0.seed == seed }
            for (file, snapshot) in zip(paths, checkpoints + [model]) { written.append((file.path, snapshot)) }
            let evaluation = args.has(TrainOptions.evaluate) ? try evaluate(model, toy: request.toy, samples: samples, threads: threads) : nil
            var report = try TrainReport(model: model, toy: request.toy, evaluation: evaluation)
            report.file = paths.last?.path
            report.checkpoints = try zip(paths, checkpoints).map { file, snapshot in
                TrainReport.Checkpoint(step: file.step ?? 0, file: file.path, heldOutLoss: try heldOut.loss(of: snapshot))
            }
            reports.append(report)
        }
        for (path, model) in written { try model.write(to: path) }
        if jsonPath != "-" {
            print(reports.map { report in report.text + (report.file.map { "\nmodel written to \($0)" } ?? "") }.joined(separator: "\n\n"))
        }
        if let jsonPath {
            if request.seeds == nil, let report = reports.first { try write(report, to: jsonPath) } else { try write(reports, to: jsonPath) }
        }
    }

    static func evaluate(_ model: LearnedDenoiser, toy: LearnedToy, samples: Int?, threads: Int) throws -> LearnedEvaluation {
        let particles = samples ?? (toy == .one ? 100_000 : 50_000)
        let evaluation = try LearnedEvaluation.evaluate(model, ideal: toy.ideal, particles: particles, threads: threads)
        let rate = NumberFormat.scientific(evaluation.learnedEvaluationsPerSecond, 3)
        let times = evaluation.rows.map { "\($0.name) \(NumberFormat.fixed($0.seconds, 2)) s" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("sampling times: \(times); learned field \(rate) evaluations/s\n".utf8))
        return evaluation
    }

    static func write<T: Encodable>(_ report: T, to path: String) throws {
        let data = try ReportEncoding.encode(report)
        if path == "-" { FileHandle.standardOutput.write(data) } else { try writeAtomically(Array(data), to: path) }
    }
}
