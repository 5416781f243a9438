import Foundation
import RNNLabExperiments
import RNNLabRunStore
import RNNLabTraining
import XCTest

/// `rnnlab run` on real files: resume after SIGKILL, corrupt files, locks, h5dump, bad experiment files.
final class RunnerEndToEndTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }

    override func setUpWithError() throws {
        cli = try CLI(for: self)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        try experiment.write(to: work.appendingPathComponent("experiments/resume.yaml"), atomically: true, encoding: .utf8)
    }

    let experiment = """
    name: resume
    task: {kind: adding, length: 12, training_examples: 600, evaluation_examples: 100}
    model: {cell: gru, hidden_size: 12}
    training:
      epochs: 40
      batch_size: 20
      optimizer: {kind: adam, learning_rate: 0.01}
      clipping: {kind: global_norm, threshold: 1}
      truncation: {kind: randomized, mean: 6}
    seeds: [7]
    report: {metric: mse, plots: [curves, grad_norm]}
    """

    /// The run file under `results`, if it exists yet (no assertion: used while polling).
    func existingRunFile(_ results: String) -> String? {
        let runs = work.appendingPathComponent("\(results)/resume/runs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).filter { $0.hasSuffix(".h5") }
        return names.first.map { runs.appendingPathComponent($0).path }
    }

    func runFile(_ results: String) throws -> String {
        let runs = work.appendingPathComponent("\(results)/resume/runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        XCTAssertEqual(names.count, 1, "\(names)")
        return runs.appendingPathComponent(try XCTUnwrap(names.first)).path
    }

    func testKilledRunResumesToTheUninterruptedResult() throws {
        let uninterrupted = try cli(["run", "resume", "--results", "a"])
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.output)
        let reference = try RunFile.read(from: try runFile("a"))
        XCTAssertEqual(reference.status, .complete)

        // Start the same run elsewhere and SIGKILL it once it has checkpointed at least one epoch.
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["run", "resume", "--results", "b"]
        process.currentDirectoryURL = work
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var checkpointed = false
        while Date() < deadline && process.isRunning && !checkpointed {
            if let path = existingRunFile("b"), let file = try? RunFile.read(from: path), file.status == .running,
               (file.checkpoint?.completedEpochs ?? 0) >= 2 {
                checkpointed = true
            } else {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertTrue(checkpointed, "the run finished before it could be interrupted; make it longer")
        let interrupted = try RunFile.read(from: try runFile("b"))
        XCTAssertEqual(interrupted.status, .running)
        XCTAssertLessThan(interrupted.epochs.count, 40)

        // Resume: a stale lock from the killed process must not block it.
        let resumed = try cli(["run", "resume", "--results", "b"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("resuming"), resumed.output)
        let final = try RunFile.read(from: try runFile("b"))
        XCTAssertEqual(final.status, .complete)
        XCTAssertEqual(try RunFile.finalMetrics(from: try runFile("b")), try RunFile.finalMetrics(from: try runFile("a")))
        XCTAssertEqual(final.finalWeights.map(\.values), reference.finalWeights.map(\.values))
        XCTAssertEqual(final.steps.map(\.loss), reference.steps.map(\.loss))
        XCTAssertEqual(final.epochs.map(\.validationMetrics), reference.epochs.map(\.validationMetrics))
        // The seconds of training go on from the checkpoint instead of restarting at 0 in the new process.
        XCTAssertTrue(zip(final.epochs, final.epochs.dropFirst()).allSatisfy { $0.wallSeconds <= $1.wallSeconds },
                      "\(final.epochs.map(\.wallSeconds))")
        XCTAssertEqual(final.trainingSeconds, try XCTUnwrap(final.epochs.last).wallSeconds)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try runFile("b") + ".lock"), "the lock is released")

        // A complete run is never recomputed.
        let again = try cli(["run", "resume", "--results", "b"])
        XCTAssertTrue(again.output.contains("1 already done, 0 to run"), again.output)
        let latex = try cli(["table", "resume", "--results", "b", "--format", "latex"])
        XCTAssertTrue(latex.output.contains("\\begin{tabular}") && latex.output.contains("Trivial baseline"), latex.output)
        let listed = try cli(["list", "--results", "b"])
        XCTAssertTrue(listed.output.contains("resume: 1 complete"), listed.output)
        // Reports exist, and h5dump reads the run file.
        for name in ["REPORT.md", "summary.csv", "curves.svg", "grad_norm.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("b/resume/\(name)").path), name)
        }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        dump.arguments = ["h5dump", "-H", try runFile("b")]
        dump.standardOutput = FileHandle.nullDevice
        try dump.run()
        dump.waitUntilExit()
        XCTAssertEqual(dump.terminationStatus, 0, "h5dump reads the run file")
    }

    func testCorruptRunFilesAreMovedAsideAndRecomputed() throws {
        XCTAssertEqual(try cli(["run", "resume", "--results", "c"]).status, 0)
        let path = try runFile("c")
        let good = try RunFile.finalMetrics(from: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: path))
        // While the run has its record, the record is its result: the run is complete, nothing is recomputed.
        let record = String(path.dropLast(3)) + ".json"
        let recorded = try cli(["run", "resume", "--results", "c"])
        XCTAssertTrue(recorded.output.contains("1 already done, 0 to run (all recorded)"), recorded.output)
        // Without it, the damaged file is moved aside and the run computed again.
        try FileManager.default.removeItem(atPath: record)
        let rerun = try cli(["run", "resume", "--results", "c"])
        XCTAssertEqual(rerun.status, 0, rerun.output)
        XCTAssertTrue(rerun.output.contains("was not trusted"), rerun.output)
        XCTAssertEqual(try RunFile.finalMetrics(from: path), good)
        let runs = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        XCTAssertEqual(runs.filter { $0.contains(".corrupt-") }.count, 1, "the damaged file is kept aside, not deleted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: record), "the recomputed run has its record again")
    }

    func testALiveLockKeepsAnotherRunnerOff() throws {
        let plan = try Experiment.load(path: work.appendingPathComponent("experiments/resume.yaml").path).plan()
        let runs = work.appendingPathComponent("d/resume/runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        try "\(getpid()) \(ProcessInfo.processInfo.hostName)\n".write(to: runs.appendingPathComponent("\(plan[0].runID).h5.lock"),
                                                                      atomically: true, encoding: .utf8)
        let result = try cli(["run", "resume", "--results", "d"])
        XCTAssertTrue(result.output.contains("being computed by another process"), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: runs.appendingPathComponent("\(plan[0].runID).h5").path))
    }

    func testMalformedExperimentFileIsRejectedBeforeAnythingRuns() throws {
        let bad = experiment.replacingOccurrences(of: "hidden_size: 12", with: "hidden_size: 0")
        try bad.write(to: work.appendingPathComponent("experiments/resume.yaml"), atomically: true, encoding: .utf8)
        let result = try cli(["run", "resume", "--results", "e"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("experiments/resume.yaml:3:"), result.output)
        XCTAssertTrue(result.output.contains("model.hidden_size: 0 is out of range"), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("e").path), "nothing was written")
    }
}
