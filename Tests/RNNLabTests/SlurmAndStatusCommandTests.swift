import Foundation
import RNNLabExperiments
import RNNLabRunStore
import XCTest

/// `rnnlab slurm` (without --submit: no Slurm needed) and `rnnlab status` on real files.
/// Submitting for real is `make test-slurm`.
final class SlurmAndStatusCommandTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }

    override func setUpWithError() throws {
        cli = try CLI(for: self)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        try """
        name: tiny
        task: {kind: adding, length: 6, training_examples: 60, evaluation_examples: 20}
        model: {cell: gru, hidden_size: 4}
        training: {epochs: 2, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
        compare: {model.cell: [rnn_tanh, gru]}
        seeds: 1
        report: {metric: mse}
        """.write(to: work.appendingPathComponent("experiments/tiny.yaml"), atomically: true, encoding: .utf8)
    }

    func testSlurmScriptsCoverOnlyTheRunsNotComplete() throws {
        let plan = try Experiment.load(path: work.appendingPathComponent("experiments/tiny.yaml").path).plan()
        let first = try cli(["run", "tiny", "--run", plan[0].runID, "--results", "r"])
        XCTAssertEqual(first.status, 0, first.output)

        let status = try cli(["status", "tiny", "--results", "r"])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("tiny: 2 runs — 1 complete, 1 missing"), status.output)
        XCTAssertTrue(status.output.contains("  \(plan[0].runID)  complete     model.cell=rnn_tanh, seed 1: test mse "), status.output)
        XCTAssertTrue(status.output.contains("  \(plan[1].runID)  missing      model.cell=gru, seed 1"), status.output)

        let printed = try cli(["slurm", "tiny", "--results", "r", "--cpus-per-task", "2", "--array-limit", "5", "--sbatch-arg=--requeue"])
        XCTAssertEqual(printed.status, 0, printed.output)
        XCTAssertTrue(printed.output.contains("tiny: 2 runs (1 complete, 1 missing); 1 to submit"), printed.output)
        XCTAssertTrue(printed.output.contains("#SBATCH --array=0-0%5\n"), printed.output)
        XCTAssertTrue(printed.output.contains("#SBATCH --requeue\n"), printed.output)
        XCTAssertTrue(printed.output.contains("export OPENBLAS_NUM_THREADS=2\n"), printed.output)
        XCTAssertTrue(printed.output.contains("  \(plan[1].runID)   # model.cell=gru, seed 1"), printed.output)
        XCTAssertFalse(printed.output.contains("  \(plan[0].runID)   #"), "the complete run is not in the array")
        XCTAssertTrue(printed.output.contains("array=$(sbatch --parsable "), printed.output)
        let scripts = work.appendingPathComponent("r/tiny/slurm")
        let array = try String(contentsOf: scripts.appendingPathComponent("array.sbatch"), encoding: .utf8)
        XCTAssertTrue(printed.output.contains(array), "the printed script is the one written")
        XCTAssertTrue(array.contains("--chdir=\(work.standardizedFileURL.path)\n") || array.contains("--chdir=\(work.resolvingSymlinksInPath().path)\n"), array)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scripts.appendingPathComponent("report.sbatch").path))

        let bad = try cli(["slurm", "tiny", "--results", "r", "--time", "two hours"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.output.contains("--time 'two hours' is not a Slurm time limit"), bad.output)

        XCTAssertEqual(try cli(["run", "tiny", "--results", "r"]).status, 0)
        let done = try cli(["slurm", "tiny", "--results", "r", "--submit"])
        XCTAssertEqual(done.status, 0, done.output)
        XCTAssertTrue(done.output.contains("nothing to submit"), done.output)
    }

    func testStatusShowsARunOnAnotherHostAndItsDeath() throws {
        let plan = try Experiment.load(path: work.appendingPathComponent("experiments/tiny.yaml").path).plan()
        let runs = work.appendingPathComponent("r/tiny/runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        let lock = runs.appendingPathComponent("\(plan[1].runID).h5.lock").path
        let now = Date().timeIntervalSince1970
        try LockOwner(pid: 99, host: "node-7", token: "x", heartbeat: now - 3, step: 12, epoch: 2, slurmJob: "31_4")
            .text.write(toFile: lock, atomically: true, encoding: .utf8)
        let live = try cli(["status", "--results", "r"])   // no name: every experiment in experiments/
        XCTAssertTrue(live.output.contains("running      model.cell=gru, seed 1: step 12 (epoch 2), heartbeat "), live.output)
        XCTAssertTrue(live.output.contains(" s ago, node-7 pid 99, slurm job 31_4\n"), live.output)
        let skipped = try cli(["run", "tiny", "--run", plan[1].runID, "--results", "r"])
        XCTAssertTrue(skipped.output.contains("is being computed by another process (node-7 pid 99, slurm job 31_4): skipped"), skipped.output)

        try LockOwner(pid: 99, host: "node-7", token: "x", heartbeat: now - 100, step: 12, epoch: 2)
            .text.write(toFile: lock, atomically: true, encoding: .utf8)
        let dead = try cli(["status", "--results", "r"], environment: ["RNNLAB_STALE_AFTER_SECONDS": "60"])
        XCTAssertTrue(dead.output.contains("dead         model.cell=gru, seed 1: no heartbeat for 10"), dead.output)
        XCTAssertTrue(dead.output.contains(" s from node-7 (pid 99); redone by the next run or submit"), dead.output)
        let redone = try cli(["run", "tiny", "--results", "r"], environment: ["RNNLAB_STALE_AFTER_SECONDS": "60"])
        XCTAssertEqual(redone.status, 0, redone.output)
        XCTAssertTrue(redone.output.contains("took over the lock of node-7 pid 99"), redone.output)
        XCTAssertTrue(try cli(["status", "--results", "r"]).output.contains("tiny: 2 runs — 2 complete"))
    }
}
