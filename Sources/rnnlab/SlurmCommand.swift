import ArgumentParser
import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore

/// `rnnlab slurm`: a Slurm job array for the runs of an experiment that are not complete.
struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write (and with --submit, submit) a Slurm job array for the runs not yet complete, then a report job.",
        discussion: """
            Writes RESULTS/NAME/slurm/array.sbatch (one task per remaining run, logs array-%A_%a.out beside it, \
            OPENBLAS_NUM_THREADS = --cpus-per-task) and report.sbatch (rnnlab report, submitted with \
            --dependency=afterany on the array). Without --submit it prints both scripts and the sbatch commands. \
            Run it again after failures or preemption: only missing, interrupted, failed or dead runs are submitted, \
            and interrupted runs resume from their checkpoints. See docs/cluster.md.
            """)

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Option(help: "The Slurm partition.") var partition: String?
    @Option(help: "Time limit per task (HH:MM:SS, D-HH:MM:SS, ...).") var time: String?
    @Option(help: "CPUs per task; also the BLAS threads of each run.") var cpusPerTask: Int = 1
    @Option(help: "At most this many tasks at once (--array=0-N%LIMIT).") var arrayLimit: Int?
    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue, help: "One more #SBATCH option for both jobs, e.g. --sbatch-arg=--account=abc (repeatable).")
    var sbatchArguments: [String] = []
    @Flag(help: "Submit the jobs and print their ids.") var submit = false

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let results = URL(fileURLWithPath: options.results, relativeTo: cwd).standardizedFileURL
        let store = RunStore(results: results)
        let environment = ProcessInfo.processInfo.environment
        guard let executable = Bundle.main.executablePath else { throw ValidationError("cannot tell where the rnnlab binary is") }
        let slurmOptions = SlurmOptions(partition: partition, time: time, cpusPerTask: cpusPerTask, arrayLimit: arrayLimit,
                                        extraArguments: sbatchArguments)
        let catalog = ExperimentCatalog()
        for experiment in try options.load(from: catalog) {
            let statuses = try catalog.runStatuses(of: experiment, profile: options.profile, store: store)
            let remaining = statuses.filter(\.needsComputing)
            print("\(experiment.name): \(statuses.count) runs (\(RunStateCounts(statuses))); \(remaining.count) to submit")
            guard !remaining.isEmpty else {
                print("  nothing to submit: every run is finished or being computed")
                continue
            }
            let batch = try SlurmBatch(
                experiment: experiment.name, runs: remaining.map(\.run), profile: options.profile,
                environment: SlurmEnvironment(
                    executable: URL(fileURLWithPath: executable).standardizedFileURL.path, workingDirectory: cwd.standardizedFileURL.path,
                    experimentFile: URL(fileURLWithPath: experiment.file, relativeTo: cwd).standardizedFileURL.path,
                    results: results.path, dataDirectory: data.directory.root.path,
                    dataMirror: data.directory.mirror?.path,
                    lockSettings: environment.filter { ["RNNLAB_HEARTBEAT_SECONDS", "RNNLAB_STALE_AFTER_SECONDS"].contains($0.key) }),
                options: slurmOptions)
            try FileManager.default.createDirectory(atPath: batch.directory, withIntermediateDirectories: true)
            try batch.arrayScript.write(toFile: batch.arrayScriptPath, atomically: true, encoding: .utf8)
            try batch.reportScript.write(toFile: batch.reportScriptPath, atomically: true, encoding: .utf8)
            guard submit else {
                print("# \(batch.arrayScriptPath)\n\(batch.arrayScript)\n# \(batch.reportScriptPath)\n\(batch.reportScript)")
                print("# submit with (or run again with --submit):\n\(batch.submitCommands)")
                continue
            }
            let arrayJob = try sbatch(batch.arraySubmission)
            let reportJob = try sbatch(batch.reportSubmission(after: arrayJob))
            print("  submitted array job \(arrayJob) (\(remaining.count) task\(remaining.count == 1 ? "" : "s"), logs \(batch.directory)/array-\(arrayJob)_*.out)")
            print("  submitted report job \(reportJob) (after the array: afterany)")
            for (index, status) in remaining.enumerated() {
                print("    task \(index): \(status.run.runID) \(status.state.name)  — \(status.run.arm), seed \(status.run.seed)")
            }
        }
    }

    /// Runs `sbatch ARGUMENTS` and returns the job id it prints (`--parsable`: `ID` or `ID;CLUSTER`).
    private func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard process.terminationStatus == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let reason = process.terminationStatus == 127 ? "sbatch is not on the PATH" : errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ValidationError("sbatch \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus)): \(reason)")
        }
        return id
    }
}
