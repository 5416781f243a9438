import Foundation
import RNNLabExperiments
import RNNLabRunStore
import RNNLabTraining
import XCTest

/// `rnnlab run --tensorboard` and `rnnlab export tensorboard`, read back with the real `tensorboard` package and
/// compared scalar by scalar with the runs' records and run files, also across a SIGKILL and a resume.
final class TensorBoardRoundTripTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }

    override func setUpWithError() throws {
        cli = try CLI(for: self)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        try """
            name: board
            task: {kind: adding, length: 8, training_examples: 400, evaluation_examples: 50}
            model: {cell: gru, hidden_size: 8}
            training: {epochs: EPOCHS, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}, clipping: {kind: global_norm, threshold: 0.5}}
            compare: {model.cell: [gru, lstm]}
            seeds: 1
            report: {metric: mse}
            """.replacingOccurrences(of: "EPOCHS", with: "3")
            .write(to: work.appendingPathComponent("experiments/board.yaml"), atomically: true, encoding: .utf8)
        try """
            name: long
            task: {kind: adding, length: 10, training_examples: 600, evaluation_examples: 50}
            model: {cell: lstm, hidden_size: 16}
            training: {epochs: 8, batch_size: 10, optimizer: {kind: adam, learning_rate: 0.01}}
            seeds: [3]
            report: {metric: mse}
            """.write(to: work.appendingPathComponent("experiments/long.yaml"), atomically: true, encoding: .utf8)
    }

    /// Asserts that `folder`'s scalars are the run file's steps and the record's epochs, each step once.
    func assertScalars(_ read: TensorBoardScalars, folder: String, file: RunFile, record: RunRecord,
                       line: UInt = #line) throws {
        let values = try XCTUnwrap(read.values[folder], "no folder \(folder) in \(read.values.keys)", line: line)
        XCTAssertEqual(read.versions[folder], ["brain.Event:2"], line: line)
        func series(_ tag: String) -> [[Double]] { values[tag] ?? [] }
        let steps = file.steps.map { Double($0.step) }
        let perStep: [(String, (StepRecord) -> Double)] = [("train/loss", \.loss), ("train/grad_norm", \.gradientNormBefore),
                                                            ("train/grad_norm_clipped", \.gradientNormAfter), ("train/learning_rate", \.learningRate)]
        for (tag, value) in perStep {
            XCTAssertEqual(series(tag).map { $0[0] }, steps, "\(tag) steps", line: line)
            XCTAssertEqual(series(tag).map { Float($0[1]) }, file.steps.map { Float(value($0)) }, tag, line: line)
            XCTAssertEqual(read.events[folder]?[tag], file.steps.map(\.step), "\(tag): every step exactly once, in order", line: line)
        }
        XCTAssertEqual(series("epoch/train_loss").map { Float($0[1]) }, record.epochs.map { Float($0.trainingLoss) }, line: line)
        XCTAssertEqual(series("epoch/learning_rate").map { Float($0[1]) }, record.epochs.map { Float($0.learningRate) }, line: line)
        let metrics = Set(record.epochs.flatMap { $0.validationMetrics.keys })
        XCTAssertFalse(metrics.isEmpty, line: line)
        for metric in metrics {
            XCTAssertEqual(series("valid/\(metric)").map { $0[0] }, record.epochs.map { Double($0.epoch) }, metric, line: line)
            XCTAssertEqual(series("valid/\(metric)").map { Float($0[1]) }, record.epochs.map { Float($0.validationMetrics[metric] ?? .nan) }, metric, line: line)
            XCTAssertEqual(series("test/\(metric)").map { Float($0[1]) }, record.epochs.map { Float($0.testMetrics[metric] ?? .nan) }, metric, line: line)
            XCTAssertEqual(read.events[folder]?["valid/\(metric)"], record.epochs.map(\.epoch), line: line)
        }
    }

    func plannedRun(_ name: String, _ arm: String?) throws -> PlannedRun {
        let experiment = try Experiment.load(path: work.appendingPathComponent("experiments/\(name).yaml").path)
        return try XCTUnwrap(try experiment.plan().first { arm == nil || $0.arm == arm })
    }

    func runAndRecord(_ name: String, _ arm: String?) throws -> (RunFile, RunRecord) {
        let run = try plannedRun(name, arm)
        let store = RunStore(results: work.appendingPathComponent("results"))
        return (try store.read(name, runID: run.runID), try XCTUnwrap(store.record(name, runID: run.runID).record))
    }

    func testEventFilesHoldEveryScalarOfTheRunsAndTheExportWritesTheSame() throws {
        let result = try cli(["run", "board", "--tensorboard", "tb"])
        XCTAssertEqual(result.status, 0, result.output)
        let live = try TensorBoardPython.scalars(in: work.appendingPathComponent("tb"))
        XCTAssertEqual(Set(live.values.keys), ["model.cell=gru_seed1", "model.cell=lstm_seed1"])
        for cell in ["gru", "lstm"] {
            let (file, record) = try runAndRecord("board", "model.cell=\(cell)")
            XCTAssertEqual(file.epochs.count, 3)
            try assertScalars(live, folder: "model.cell=\(cell)_seed1", file: file, record: record)
        }
        // From the store: the same scalars.
        let exported = try cli(["export", "tensorboard", "board", "exported"])
        XCTAssertEqual(exported.status, 0, exported.output)
        let again = try TensorBoardPython.scalars(in: work.appendingPathComponent("exported"))
        XCTAssertEqual(again.values, live.values)
    }

    func testAResumedRunLogsEveryStepOnceAfterASIGKILL() throws {
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["run", "long", "--tensorboard", "tb"]
        process.currentDirectoryURL = work
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let runs = work.appendingPathComponent("results/long/runs")
        let run = try plannedRun("long", nil)
        let folderName = TensorBoardRun.folderName(arm: run.arm, seed: run.seed)
        let folder = work.appendingPathComponent("tb/\(folderName)")
        func eventBytes() -> Int {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return files.reduce(0) { total, name in
                total + (((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[.size] as? Int) ?? 0)
            }
        }
        // Kill it once it has checkpointed 2 epochs and logged steps after that checkpoint.
        let deadline = Date().addingTimeInterval(60)
        var checkpointedAt: Int?
        while Date() < deadline && process.isRunning {
            if checkpointedAt == nil, let name = (try? FileManager.default.contentsOfDirectory(atPath: runs.path))?.first(where: { $0.hasSuffix(".h5") }),
               let file = try? RunFile.read(from: runs.appendingPathComponent(name).path), file.status == .running,
               (file.checkpoint?.completedEpochs ?? 0) >= 2 {
                checkpointedAt = eventBytes()
            }
            if let size = checkpointedAt, eventBytes() > size + 2_000 { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertNotNil(checkpointedAt, "the run finished before it could be interrupted; make it longer")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasSuffix(".h5") })
        let interrupted = try RunFile.read(from: runs.appendingPathComponent(name).path)
        XCTAssertEqual(interrupted.status, .running)
        let checkpointSteps = try XCTUnwrap(interrupted.checkpoint?.stepCount)
        let before = try TensorBoardPython.scalars(in: work.appendingPathComponent("tb"))
        let logged = try XCTUnwrap(before.events[folderName]?["train/loss"])
        XCTAssertGreaterThan(logged.max() ?? 0, checkpointSteps, "the killed process logged steps after its checkpoint, which the resume computes again")

        let resumed = try cli(["run", "long", "--tensorboard", "tb"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("resuming"), resumed.output)
        let after = try TensorBoardPython.scalars(in: work.appendingPathComponent("tb"))
        XCTAssertEqual(after.files[folderName]?.count, 1, "the killed process's event file was replaced")
        let (file, record) = try runAndRecord("long", nil)
        XCTAssertEqual(file.status, .complete)
        XCTAssertEqual(file.steps.map(\.step), Array(1...file.steps.count), "the run file has every step")
        try assertScalars(after, folder: folderName, file: file, record: record)
    }
}
