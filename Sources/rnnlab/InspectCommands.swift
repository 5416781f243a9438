import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments
import RNNLabReports

/// Formats a dictionary of metrics as sorted JSON.
func metricsJSON(_ metrics: [String: Double]) -> String {
    "{" + metrics.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value.isFinite ? "\($0.value)" : "null")" }
        .joined(separator: ", ") + "}"
}

/// `rnnlab show`: one run file.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a run file: status, configuration, metrics, provenance.")
    @Argument(help: "The run file.") var runFile: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let file = try RunFile.read(from: runFile)
        let final = (try? RunFile.finalMetrics(from: runFile)) ?? [:]
        if json {
            print("{\"run_id\": \"\(file.runID)\", \"experiment\": \"\(file.experiment)\", \"status\": \"\(file.status)\", "
                  + "\"epochs\": \(file.epochs.count), \"steps\": \(file.steps.count), \"final\": \(metricsJSON(final)), "
                  + "\"config\": \(try file.configuration.canonicalJSON())}")
            return
        }
        print("run \(file.runID) of \(file.experiment): \(file.status)\(file.statusDetail.isEmpty ? "" : " (\(file.statusDetail))")")
        print("created \(file.created), updated \(file.updated); \(file.epochs.count) epochs, \(file.steps.count) steps")
        print("config: \(try file.configuration.canonicalJSON())")
        for epoch in file.epochs {
            let valid = epoch.validationMetrics.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
            print("  epoch \(epoch.epoch): train loss \(String(format: "%.4f", epoch.trainingLoss)); valid \(valid.joined(separator: ", "))")
        }
        print("final (test at the best epoch): \(metricsJSON(final))")
        if let p = file.provenance { print("provenance: git \(p.gitCommit)\(p.gitDirty ? " (dirty)" : ""), \(p.blas), HDF5 \(p.hdf5)") }
    }
}

/// `rnnlab list`: the declared experiments and the state of their runs.
struct ListExperiments: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the experiments and the state of their runs.")
    @Option(help: "The results directory.") var results: String = "results"
    @Option(help: "A profile of the experiment files.") var profile: String?

    func run() throws {
        let store = RunStore(results: URL(fileURLWithPath: results))
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: "experiments")) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        for name in files {
            do {
                let experiment = try Experiment.load(path: "experiments/\(name)")
                var counts: [String: Int] = [:]
                for run in try experiment.plan(profile: profile) {
                    counts[store.status(experiment.name, run).state.name, default: 0] += 1   // as `rnnlab status`
                }
                print("\(experiment.name): " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                      + "  — \(experiment.title)")
            } catch {
                print("\(name): invalid: \(error)")
            }
        }
    }
}

/// `rnnlab table`: an experiment's comparison table for papers.
struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print an experiment's comparison table as Markdown, CSV or LaTeX.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, csv, latex }
    @Argument(help: "The experiment (file or name).") var experiment: String
    @Option(help: "markdown, csv or latex.") var format: Format = .markdown
    @Option(help: "The results directory.") var results: String = "results"
    @Option(help: "A profile of the experiment file.") var profile: String?
    @OptionGroup var data: DataOptions

    func run() throws {
        let path = experiment.hasSuffix(".yaml") || experiment.contains("/") ? experiment : "experiments/\(experiment).yaml"
        let report = try ExperimentReport.collect(try Experiment.load(path: path), profile: profile,
                                                  store: RunStore(results: URL(fileURLWithPath: results)), data: data.directory)
        switch format {
        case .markdown: print(report.markdownTable)
        case .csv: print(report.csv, terminator: "")
        case .latex: print(report.latexTable)
        }
    }
}

/// `rnnlab eval`: a stored run's metrics on another file.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a run's final weights on another file of its task's format; prints JSON.",
        discussion: "Text for language models, piano-roll JSON for music (--split), TSV (sentence, label) for sentiment, CSV for forecasting (--column).")
    @Argument(help: "The run file.") var runFile: String
    @Option(help: "The file to evaluate on.") var data: String
    @Option(help: "Piano-roll split.") var split: String = "test"
    @Option(help: "CSV value column.") var column: String?
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        let file = try RunFile.read(from: runFile)
        let metrics = try Evaluation.evaluate(file, on: URL(fileURLWithPath: data), split: split, column: column,
                                              data: dataOptions.directory)
        print(metricsJSON(metrics))
    }
}
