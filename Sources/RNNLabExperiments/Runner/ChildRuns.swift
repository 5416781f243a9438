import Foundation
import RNNLabRunStore

extension ExperimentRunner {
    /// Seconds a child has to exit after the runner passed it a termination signal, before it is killed.
    static let childGracePeriod = 5.0

    /// Runs `runs` in child processes (`executable run FILE --run ID`), `jobs` at a time, each with one BLAS thread.
    /// Each child ends with the runner (see `RunnerLink`); SIGINT, SIGTERM or SIGHUP sent to the runner is passed
    /// on to every child, which releases its lock and exits, and `SweepInterrupted` is thrown once they are gone.
    func runInChildren(_ runs: [PlannedRun], jobs: Int, executable: String) throws -> RoundResult {
        try TerminationSignals.catching {
            var queue = runs[...]
            var active: [(process: Process, run: PlannedRun)] = []
            var result = RoundResult()
            while !queue.isEmpty || !active.isEmpty {
                if let signal = TerminationSignals.caught {
                    stop(active.map(\.process), passing: signal)
                    throw SweepInterrupted(signal: signal, stopped: active.map(\.run.runID), notStarted: queue.count)
                }
                while active.count < jobs, let run = queue.popFirst() {
                    do {
                        let process = try startChild(for: run, executable: executable)
                        log("started \(run.arm), seed \(run.seed) (\(run.runID)) as process \(process.processIdentifier)")
                        active.append((process, run))
                    } catch {
                        result.failures += 1
                        log("could not start \(run.runID): \(error)")
                    }
                }
                guard let index = active.firstIndex(where: { !$0.process.isRunning }) else {
                    Thread.sleep(forTimeInterval: 0.05)
                    continue
                }
                let (process, run) = active.remove(at: index)
                switch (process.terminationReason, process.terminationStatus) {
                case (.exit, 0): break
                case (.exit, SweepOutcome.partialExitStatus): result.held.append(run)
                case (.exit, let status):
                    result.failures += 1
                    log("\(run.runID) exited with status \(status)")
                case (.uncaughtSignal, let signal):
                    result.failures += 1
                    log("\(run.runID) was ended by signal \(signal)")
                @unknown default:
                    result.failures += 1
                }
            }
            return result
        }
    }

    private func startChild(for run: PlannedRun, executable: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["run", experiment.file, "--run", run.runID, "--results", store.results.path, "--data-dir", data.root.path]
        if let profile { arguments += ["--profile", profile] }
        if let tensorBoard { arguments += ["--tensorboard", tensorBoard.path] }
        process.arguments = arguments
        // Children print plain lines (several progress bars would overwrite each other).
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["OPENBLAS_NUM_THREADS": "1", "RNNLAB_PLAIN": "1", RunnerLink.environmentVariable: "\(getpid())"]) { $1 }
        try process.run()
        return process
    }

    /// Passes `signal` to each running child, waits up to `childGracePeriod` for them to exit, then kills the rest.
    private func stop(_ children: [Process], passing signal: Int32) {
        for child in children where child.isRunning { kill(child.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(Self.childGracePeriod)
        while children.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        for child in children where child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
    }
}
