import Foundation
import RNNLabExperiments
import RNNLabRunStore
import XCTest

/// Ending `rnnlab run --jobs N` ends its child runs; runs held by other processes make a partial report.
final class StoppingASweepTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }

    override func setUpWithError() throws {
        cli = try CLI(for: self)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        try experiment(epochs: 12).write(to: work.appendingPathComponent("experiments/stop.yaml"), atomically: true, encoding: .utf8)
    }

    func experiment(epochs: Int) -> String {
        """
        name: stop
        task: {kind: adding, length: 12, training_examples: 200, evaluation_examples: 50}
        model: {cell: gru, hidden_size: 8}
        training:
          epochs: \(epochs)
          batch_size: 20
          optimizer: {kind: adam, learning_rate: 0.01}
        seeds: [1, 2, 3]
        report: {metric: mse}
        """
    }

    func runsFolder(_ results: String) -> URL { work.appendingPathComponent("\(results)/stop/runs") }

    func files(in results: String, ending suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runsFolder(results).path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Whether `pid` is a living process (not a zombie).
    func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return false }
        return !["Z", "X"].contains(stat[stat.index(after: end)...].split(separator: " ").first.map(String.init) ?? "")
    }

    /// Starts `rnnlab ARGUMENTS` with its output going to `log`.
    func start(_ arguments: [String], log: URL) throws -> Process {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = arguments
        process.currentDirectoryURL = work
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// A sweep with --jobs 2 signalled once both of its children have checkpointed: the children end within
    /// seconds, release their locks, and a rerun resumes every run to the numbers of an uninterrupted sweep.
    func testEndingTheRunnerEndsItsChildrenAndTheRerunResumesBitIdentically() throws {
        let reference = try cli(["run", "stop", "--jobs", "2", "--results", "reference"])
        XCTAssertEqual(reference.status, 0, reference.output)
        let expected = try files(in: "reference", ending: ".h5").map { name in
            (try RunFile.finalMetrics(from: runsFolder("reference").appendingPathComponent(name).path),
             try RunFile.read(from: runsFolder("reference").appendingPathComponent(name).path).finalWeights.map(\.values))
        }
        XCTAssertEqual(expected.count, 3)

        for signal in [SIGINT, SIGTERM, SIGHUP, SIGKILL] {
            let results = "signal-\(signal)", log = work.appendingPathComponent("\(results).log")
            let runner = try start(["run", "stop", "--jobs", "2", "--results", results], log: log)
            // Wait until two children are training with a checkpoint each.
            let deadline = Date().addingTimeInterval(120)
            var children: [Int32] = []
            while Date() < deadline, runner.isRunning {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                children = text.split(separator: "\n").filter { $0.hasPrefix("started ") }
                    .compactMap { line in line.split(separator: " ").last.flatMap { Int32($0) } }
                let checkpointed = files(in: results, ending: ".h5").filter {
                    (try? RunFile.read(from: runsFolder(results).appendingPathComponent($0).path))?.checkpoint != nil
                }
                if children.count == 2, checkpointed.count == 2 { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            XCTAssertEqual(children.count, 2, "signal \(signal): the sweep did not start two children in time")
            if signal == SIGINT, getpgid(runner.processIdentifier) == runner.processIdentifier {
                killpg(runner.processIdentifier, SIGINT)   // Ctrl-C: the runner's process group (the children have their own)
            } else {
                kill(runner.processIdentifier, signal)
            }
            runner.waitUntilExit()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if signal == SIGKILL {
                XCTAssertEqual(runner.terminationReason, .uncaughtSignal)
            } else {
                XCTAssertEqual(runner.terminationStatus, 128 + signal, output)
                XCTAssertTrue(output.contains("stop: interrupted by SIG"), output)
            }
            let gone = Date().addingTimeInterval(2)   // an orphan would go on training for seconds
            while Date() < gone, children.contains(where: isAlive) { Thread.sleep(forTimeInterval: 0.01) }
            XCTAssertEqual(children.filter(isAlive), [], "signal \(signal): child runs outlived the runner\n\(output)")
            XCTAssertEqual(files(in: results, ending: ".lock"), [], "signal \(signal): the children release their locks")
            XCTAssertTrue(files(in: results, ending: ".h5").contains {
                (try? RunFile.read(from: runsFolder(results).appendingPathComponent($0).path))?.status == .running
            }, "signal \(signal): the runs were stopped mid-training")

            let rerun = try cli(["run", "stop", "--jobs", "2", "--results", results])
            XCTAssertEqual(rerun.status, 0, rerun.output)
            XCTAssertFalse(rerun.output.contains("being computed by another process"), rerun.output)
            XCTAssertTrue(rerun.output.contains("resuming"), rerun.output)
            let resumed = try files(in: results, ending: ".h5").map { name in
                (try RunFile.finalMetrics(from: runsFolder(results).appendingPathComponent(name).path),
                 try RunFile.read(from: runsFolder(results).appendingPathComponent(name).path).finalWeights.map(\.values))
            }
            XCTAssertEqual(resumed.map(\.0), expected.map(\.0), "signal \(signal)")
            XCTAssertEqual(resumed.map(\.1), expected.map(\.1), "signal \(signal)")
        }
    }

    /// A child whose runner died before it could ask for the parent-death signal does not start its run.
    func testAChildWhoseRunnerIsGoneDoesNotStart() throws {
        let plan = try Experiment.load(path: work.appendingPathComponent("experiments/stop.yaml").path).plan()
        let result = try cli(["run", "stop", "--run", plan[0].runID, "--results", "orphan"],
                             environment: [RunnerLink.environmentVariable: "\(getpid() == 1 ? 2 : 1)"])
        XCTAssertNotEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("the runner that started this run has ended"), result.output)
        XCTAssertEqual(files(in: "orphan", ending: ".h5"), [])
    }

    /// A run another live process holds: left out, named in the last lines, a partial report, exit 75;
    /// with --wait the runner waits until the lock is released and then computes the run itself.
    func testRunsHeldByAnotherProcessMakeAPartialReportUnlessWaitedFor() throws {
        try experiment(epochs: 2).write(to: work.appendingPathComponent("experiments/stop.yaml"), atomically: true, encoding: .utf8)
        let plan = try Experiment.load(path: work.appendingPathComponent("experiments/stop.yaml").path).plan()
        try FileManager.default.createDirectory(at: runsFolder("held"), withIntermediateDirectories: true)
        let lock = runsFolder("held").appendingPathComponent("\(plan[0].runID).h5.lock")
        try LockOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName, token: "test", heartbeat: Date().timeIntervalSince1970)
            .text.write(to: lock, atomically: true, encoding: .utf8)
        let report = work.appendingPathComponent("held/stop/REPORT.md")

        for jobs in ["2", "1"] {
            let partial = try cli(["run", "stop", "--jobs", jobs, "--results", "held"])
            XCTAssertEqual(partial.status, SweepOutcome.partialExitStatus, partial.output)
            let last = partial.output.split(separator: "\n").suffix(3).joined(separator: "\n")
            XCTAssertTrue(last.contains("partial: 1 run is still being computed by other processes"), partial.output)
            XCTAssertTrue(last.contains("stop \(plan[0].runID) (\(plan[0].arm), seed 1): \(ProcessInfo.processInfo.hostName) pid \(getpid())"), last)
            let text = try String(contentsOf: report, encoding: .utf8)
            XCTAssertTrue(text.contains("**Partial report: 1 planned run was still being computed by other processes"), text)
            XCTAssertTrue(text.contains("`\(plan[0].runID)`"), text)
            XCTAssertEqual(files(in: "held", ending: ".h5").count, 2)
        }

        let log = work.appendingPathComponent("wait.log")
        let waiting = try start(["run", "stop", "--jobs", "2", "--wait", "--results", "held"], log: log)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("waiting for runs held by other processes") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(waiting.isRunning, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        try FileManager.default.removeItem(at: lock)
        waiting.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(waiting.terminationStatus, 0, output)
        XCTAssertFalse(output.contains("partial:"), output)
        XCTAssertEqual(files(in: "held", ending: ".h5").count, 3)
        XCTAssertFalse(try String(contentsOf: report, encoding: .utf8).contains("Partial report"))
    }
}
