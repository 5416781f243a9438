import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments
import RNNLabReports

/// Options shared by the commands that read experiments and their results.
struct ExperimentOptions: ParsableArguments {
    @Argument(help: "Experiment files or names (NAME means experiments/NAME.yaml).") var experiments: [String] = []
    @Flag(help: "Every experiment in experiments/.") var all = false
    @Option(help: "A profile of the experiment files (e.g. smoke).") var profile: String?
    @Option(help: "The results directory.") var results: String = "results"

    func validate() throws {
        guard all || !experiments.isEmpty else { throw ValidationError("name experiment files, or use --all") }
    }

    /// Every named experiment, loaded and validated before anything runs.
    func load() throws -> [Experiment] {
        var paths = experiments.map { $0.hasSuffix(".yaml") || $0.contains("/") ? $0 : "experiments/\($0).yaml" }
        if all {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "experiments")) ?? []
            paths += names.filter { $0.hasSuffix(".yaml") }.sorted().map { "experiments/\($0)" }
        }
        let loaded = try paths.map { try Experiment.load(path: $0) }
        if let profile {
            for experiment in loaded where !experiment.profiles.contains(profile) {
                throw ValidationError("\(experiment.file) has no profile '\(profile)' (profiles: \(experiment.profiles.joined(separator: ", ")))")
            }
        }
        return loaded
    }

    var store: RunStore { RunStore(results: URL(fileURLWithPath: results)) }
}

/// `rnnlab run`: run declared experiments (resumable) and regenerate their reports.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run experiments: every planned run not yet complete, then the reports.",
        discussion: """
            Complete runs are skipped; interrupted runs resume from their last checkpoint; corrupt run files are moved \
            aside and recomputed. --run RUN_ID computes exactly one run (for job arrays).
            """)

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Option(help: "Runs in parallel (child processes with one BLAS thread each).") var jobs: Int = 1
    @Option(name: .customLong("run"), help: "Compute only this run id.") var runID: String?
    @Option(help: "BLAS threads of this process (job arrays: the CPUs per task).") var blasThreads: Int = 1

    func run() throws {
        BLAS.setThreads(max(blasThreads, 1))
        RunLock.releaseOnTermination()
        let experiments = try options.load()
        if let runID, !RunStore.isSafeComponent(runID) {
            throw ValidationError("--run '\(runID)' is not a run id (run ids are 16 hexadecimal digits; no '/' or '..')")
        }
        var failures = 0
        for experiment in experiments {
            var runner = ExperimentRunner(experiment: experiment, profile: options.profile, store: options.store,
                                          data: data.directory, rnnlabVersion: RNNLabInfo.version)
            runner.log = { print($0); fflush(nil) }   // line by line into Slurm logs, even if the task is killed
            runner.showsProgress = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["RNNLAB_PLAIN"] == nil
            if let runID {
                guard let planned = try runner.plan().first(where: { $0.runID == runID }) else {
                    throw ValidationError("\(experiment.file) plans no run \(runID)")
                }
                try runner.runOne(planned)
                continue
            }
            failures += try runner.runAll(jobs: max(jobs, 1), executable: Bundle.main.executablePath)
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store, data: data.directory)
            report.warnAboutUntrustedFiles()
            let folder = options.store.results.appendingPathComponent(experiment.name)
            try FileWriteError.clarifying(path: folder.path) { try report.write(to: folder) }
            print("report: \(options.store.results.appendingPathComponent(experiment.name).appendingPathComponent("REPORT.md").path)")
        }
        if runID == nil { try ResultsIndex.write(results: options.store, profile: options.profile, data: data.directory) }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// `rnnlab report`: regenerate reports from the stored runs.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Regenerate REPORT.md, summary.csv and plots from the run files.")
    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Flag(help: "Write nothing: check that the reports in the results directory are exactly what the run files give.")
    var check = false

    func run() throws {
        if check { return try checkReports() }
        for experiment in try options.load() {
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store, data: data.directory)
            report.warnAboutUntrustedFiles()
            let folder = options.store.results.appendingPathComponent(experiment.name)
            try FileWriteError.clarifying(path: folder.path) { try report.write(to: folder) }
            print(report.markdownTable)
        }
        try ResultsIndex.write(results: options.store, profile: options.profile, data: data.directory)
    }

    /// Regenerates every report in memory and compares it, file by file, with the stored one.
    private func checkReports() throws {
        var differing: [String] = []
        for experiment in try options.load() {
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store, data: data.directory)
            differing += ReportWriter.differences(report.files, in: options.store.results.appendingPathComponent(experiment.name))
        }
        if options.all {
            let index = try ResultsIndex.file(profile: options.profile, store: options.store, data: data.directory)
            differing += ReportWriter.differences([index], in: options.store.results)
        }
        guard differing.isEmpty else {
            differing.forEach { print("differs from what the run files give: \($0)") }
            throw ExitCode(1)
        }
        print("every checked report is what the run files give")
    }
}

extension ExperimentReport {
    /// One line on standard error per run file the report left out because it was not trusted.
    func warnAboutUntrustedFiles() {
        for (path, reason) in untrusted {
            FileHandle.standardError.write(Data("warning: \(path) is not trusted and is not in the report: \(reason)\n".utf8))
        }
    }
}
