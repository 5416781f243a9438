import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments
import RNNLabNumerics
import RNNLabRunStore

/// `rnnlab verify`: recompute recorded runs in a scratch directory and compare them with their records.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute recorded runs in a scratch directory and compare them with their records, bit for bit.",
        discussion: """
            Compares every per-epoch metric and, for runs recomputed whole, the ending (status, best epoch, final \
            metrics) and the SHA-256 of the final weights. With --epochs E only the first E epochs are recomputed \
            and compared: a spot check in minutes. Where the record was computed on another CPU model or BLAS \
            core, bit-identity is not expected: numbers are compared within a relative tolerance (default 1e-3), \
            and the line says so. Committed records and run files are never touched. Prints one line per run and \
            a summary; exits 1 when any run differs from its record or cannot be compared, or when no run was \
            compared at all. --jobs N verifies N runs \
            at a time in child processes (one BLAS thread each); --run RUN_ID verifies one run.
            """)

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Option(help: "Runs of each experiment to recompute: the first K recorded ones in plan order (default 1).") var runs: Int = 1
    @Flag(help: "Recompute every recorded run.") var allRuns = false
    @Option(help: "Recompute and compare only the first E epochs of each run.") var epochs: Int?
    @Option(help: "Compare within this relative tolerance instead of bit for bit.") var tolerance: Double?
    @Option(help: "Where recomputed run files go (default: a new temporary directory, removed at the end).") var scratch: String?
    @Option(help: "Runs verified in parallel (child processes with one BLAS thread each).") var jobs: Int = 1
    @Option(name: .customLong("run"), help: "Verify only this run id (it must have a record).") var runID: String?
    @Flag(help: "Show per-run and overall progress with an ETA.") var progress = false

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let tolerance, !(tolerance >= 0) { throw ValidationError("--tolerance must be a number ≥ 0") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        guard RunnerLink.follow() else {
            FileHandle.standardError.write(Data("rnnlab: the verify that started this one has ended; not starting\n".utf8))
            throw ExitCode.failure
        }
        BLAS.setThreads(1)
        let experiments = try options.load()
        let directory = scratch.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-verify-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if scratch == nil { try? FileManager.default.removeItem(at: directory) } }
        var identical = 0, different = 0, cannot = 0, unrecordedExperiments: [String] = []
        var children: [(label: String, arguments: [String])] = []
        var plansRun = false
        for experiment in experiments {
            let verifier = RunVerifier(experiment: experiment, profile: options.profile, store: options.store, data: data.directory,
                                       scratch: directory, rnnlabVersion: RNNLabInfo.version)
            var selection = try verifier.selection(count: allRuns || runID != nil ? nil : runs)
            if let runID {
                // Only the experiments that plan the run take part.
                guard try experiment.plan(profile: options.profile).contains(where: { $0.runID == runID }) else { continue }
                plansRun = true
                selection.chosen = selection.chosen.filter { $0.runID == runID }
                selection.untrusted = selection.untrusted.filter { $0.run.runID == runID }
                if selection.chosen.isEmpty && selection.untrusted.isEmpty {
                    print("  \(runID): cannot compare: it has no record in \(experiment.name)")
                    cannot += 1
                    continue
                }
            }
            if selection.chosen.isEmpty {
                print("\(experiment.name): no recorded run to verify (none of its \(selection.planned) planned runs has a valid record)")
                if selection.untrusted.isEmpty { unrecordedExperiments.append(experiment.name) }
            } else {
                print("\(experiment.name): recomputing \(selection.chosen.count) of \(selection.planned) planned runs"
                      + (epochs.map { ", first \($0) epoch\($0 == 1 ? "" : "s")" } ?? "")
                      + (selection.unrecorded > 0 ? "; \(selection.unrecorded) have no valid record" : ""))
            }
            for (run, error) in selection.untrusted {
                print("  " + RunVerifier.untrusted(run, error).line)
                cannot += 1
            }
            fflush(nil)
            if jobs > 1 {
                for run in selection.chosen {
                    var arguments = ["verify", experiment.file, "--run", run.runID, "--results", options.results,
                                     "--data-dir", data.directory.root.path,
                                     "--scratch", directory.appendingPathComponent("child-\(run.runID)").path]
                    if let profile = options.profile { arguments += ["--profile", profile] }
                    if let epochs { arguments += ["--epochs", "\(epochs)"] }
                    if let tolerance { arguments += ["--tolerance", "\(tolerance)"] }
                    children.append(("\(experiment.name)", arguments))
                }
                continue
            }
            let display = ProgressDisplay(enabled: progress, unit: "runs")
            for (index, run) in selection.chosen.enumerated() {
                let total = Double(selection.chosen.count), planned = epochs ?? run.configuration.training.epochs
                display.update(done: Double(index), of: total, detail: "\(run.runID) starting")
                let result = verifier.verify(run, throughEpoch: epochs, tolerance: tolerance) { epoch in
                    display.update(done: Double(index) + Double(epoch.epoch) / Double(max(planned, 1)), of: total,
                                   detail: "\(run.runID) epoch \(epoch.epoch)/\(planned)")
                }
                display.finish()
                print("  " + result.line)
                fflush(nil)
                switch result.outcome {
                case .compared(let comparison): if comparison.isMatch { identical += 1 } else { different += 1 }
                case .cannotCompare: cannot += 1
                }
            }
        }
        if !children.isEmpty, let executable = Bundle.main.executablePath {
            print("verifying \(children.count) runs, \(jobs) at a time")
            fflush(nil)
            do {
                let totals = try VerifyChildren.run(children, jobs: jobs, executable: executable) { print($0); fflush(nil) }
                identical += totals.identical
                different += totals.different
                cannot += totals.cannotCompare
            } catch let stop as VerifyChildren.Interrupted {
                print("verify: \(stop)")
                throw ExitCode(128 + stop.signal)
            }
        }
        var summary = "verify: \(identical) identical to their records, \(different) different, \(cannot) could not be compared"
        if !unrecordedExperiments.isEmpty {
            summary += "; \(unrecordedExperiments.count) experiment\(unrecordedExperiments.count == 1 ? " has" : "s have") no records: "
                + unrecordedExperiments.joined(separator: ", ")
        }
        if let runID, !plansRun { summary += "; no experiment named plans run \(runID)" }
        print(summary)
        if different > 0 || cannot > 0 { throw ExitCode(1) }
        if identical == 0 {
            print("verify: nothing was compared (no recorded run)")
            throw ExitCode(1)
        }
    }
}
