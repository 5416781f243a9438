import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore
import XCTest

/// The per-run status of `rnnlab status`, for every state a planned run can be in.
final class RunStatusTests: XCTestCase {
    var directory: URL!
    let host = ProcessInfo.processInfo.hostName

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-locks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    // MARK: Status

    func testStatusOfEveryState() throws {
        let file = directory.appendingPathComponent("experiments/states.yaml")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try """
        name: states
        task: {kind: adding, length: 6, training_examples: 60, evaluation_examples: 20}
        model: {cell: gru, hidden_size: 4}
        training: {epochs: 3, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
        seeds: 5
        report: {metric: mse}
        """.write(to: file, atomically: true, encoding: .utf8)
        let experiment = try Experiment.load(path: file.path)
        let runs = try experiment.plan()
        XCTAssertEqual(runs.count, 5)
        let store = RunStore(results: directory.appendingPathComponent("results"))
        let data = DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory)
        let policy = LockPolicy(heartbeatInterval: 30, staleAfter: 300)
        func state(_ index: Int) -> PlannedRunStatus { store.status("states", runs[index], policy: policy) }
        for index in runs.indices { XCTAssertEqual(state(index).state, .missing) }

        // 0: complete, by the runner.
        let runner = ExperimentRunner(experiment: experiment, profile: nil, store: store, data: data, rnnlabVersion: "test")
        try runner.runOne(runs[0])
        XCTAssertEqual(state(0).state, .complete)
        XCTAssertNotNil(state(0).finalMetrics["mse"])
        XCTAssertFalse(state(0).needsComputing)

        // 1: interrupted: the run file as it stood after the first epoch of an uninterrupted run (which keeps going elsewhere).
        let whole = directory.appendingPathComponent("whole.h5").path
        var copied = false
        try RunExecutor.run(runs[1].configuration, experiment: "states", data: data, writingTo: whole, rnnlabVersion: "test", onEpoch: { _ in
            if !copied { copied = (try? FileManager.default.copyItem(atPath: whole, toPath: store.path("states", runs[1].runID))) != nil }
        })
        XCTAssertTrue(copied)
        XCTAssertEqual(state(1).state, .interrupted(completedEpochs: 1))
        XCTAssertTrue(state(1).needsComputing)

        // 1 again, now with a live lock from another host: running, with step and heartbeat age.
        let lockOne = store.path("states", runs[1].runID) + ".lock"
        try LockOwner(pid: 4242, host: "node-b", token: "t", heartbeat: Date().timeIntervalSince1970 - 7, step: 5, epoch: 2, slurmJob: "9_1")
            .text.write(toFile: lockOne, atomically: true, encoding: .utf8)
        guard case .running(let step, let epoch, let age, let owner) = state(1).state else { return XCTFail("\(state(1).state)") }
        XCTAssertEqual(step, 5)
        XCTAssertEqual(epoch, 2)
        XCTAssertEqual(age, 7, accuracy: 2)
        XCTAssertEqual(owner.slurmJob, "9_1")
        XCTAssertFalse(state(1).needsComputing)
        XCTAssertTrue(state(1).detail.contains("step 5 (epoch 2), heartbeat 7 s ago, node-b pid 4242, slurm job 9_1"), state(1).detail)

        // 1 once more: the other host stopped beating: dead, and redone.
        try LockOwner(pid: 4242, host: "node-b", token: "t", heartbeat: Date().timeIntervalSince1970 - 400, step: 5, epoch: 2)
            .text.write(toFile: lockOne, atomically: true, encoding: .utf8)
        guard case .dead(let epochs, let reason, _) = state(1).state else { return XCTFail("\(state(1).state)") }
        XCTAssertEqual(epochs, 1)
        XCTAssertTrue(reason.contains("no heartbeat for 400 s from node-b"), reason)
        XCTAssertTrue(state(1).needsComputing)
        var resumed = runner
        resumed.lockPolicy = policy
        let collected = LogLines()
        resumed.log = { collected.append($0) }
        try resumed.runOne(runs[1])
        let lines = collected.lines
        XCTAssertTrue(lines.contains { $0.contains("took over the lock of node-b pid 4242") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("resuming \(runs[1].runID) after epoch 1") }, "\(lines)")
        XCTAssertEqual(state(1).state, .complete)
        XCTAssertEqual(try RunFile.finalMetrics(from: store.path("states", runs[1].runID)), try RunFile.finalMetrics(from: whole),
                       "resumed after taking over: the numbers of the uninterrupted run")
        XCTAssertFalse(FileManager.default.fileExists(atPath: lockOne))

        // 2: failed: a run whose data set is unavailable stops with an error, recorded beside its run file; the lock is released.
        let needsData = directory.appendingPathComponent("experiments/needs-data.yaml")
        try """
        name: needs-data
        task: {kind: music, data: jsb_chorales}
        model: {cell: gru, hidden_size: 4}
        training: {epochs: 1, optimizer: {kind: adam, learning_rate: 0.01}}
        report: {metric: nll}
        """.write(to: needsData, atomically: true, encoding: .utf8)
        let musical = try Experiment.load(path: needsData.path)
        let musicRun = try XCTUnwrap(try musical.plan().first)
        let emptyData = DataDirectory(explicit: directory.appendingPathComponent("no-data").path, environment: [:], workingDirectory: directory)
        let failing = ExperimentRunner(experiment: musical, profile: nil, store: store, data: emptyData, rnnlabVersion: "test")
        XCTAssertThrowsError(try failing.runOne(musicRun))
        let failed = store.status("needs-data", musicRun, policy: policy)
        guard case .failed(let error) = failed.state else { return XCTFail("\(failed.state)") }
        XCTAssertTrue(error.contains("jsb_chorales"), error)
        XCTAssertTrue(error.contains("on \(host)"), error)
        XCTAssertTrue(failed.needsComputing)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path("needs-data", musicRun.runID) + ".lock"))
        // A later success clears a failure record.
        try RunFailure(error: "disk full").write(forRunAt: store.path("states", runs[2].runID))
        XCTAssertEqual(state(2).state.name, "failed")
        XCTAssertTrue(state(2).detail.hasPrefix("disk full (on \(host)"), state(2).detail)
        try runner.runOne(runs[2])
        XCTAssertEqual(state(2).state, .complete)
        XCTAssertNil(RunFailure.read(forRunAt: store.path("states", runs[2].runID)))

        // 3: a live lock on this host (this process) without a run file yet: running, starting.
        let lockThree = try XCTUnwrap(RunLock(path: store.path("states", runs[3].runID) + ".lock", policy: policy))
        XCTAssertEqual(state(3).state.name, "running")
        XCTAssertTrue(state(3).detail.hasPrefix("starting, heartbeat 0 s ago"), state(3).detail)
        lockThree.release()
        XCTAssertEqual(state(4).state, .missing)
    }
}

/// Log lines collected from a runner.
final class LogLines: @unchecked Sendable {
    private let mutex = NSLock()
    private var stored: [String] = []
    var lines: [String] { mutex.lock(); defer { mutex.unlock() }; return stored }
    func append(_ line: String) { mutex.lock(); stored.append(line); mutex.unlock() }
}
