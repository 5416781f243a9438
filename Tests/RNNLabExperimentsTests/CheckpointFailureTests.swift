import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

/// A checkpoint that cannot be written is never silent: the run stops after that epoch with `CheckpointNotWritten`.
final class CheckpointFailureTests: XCTestCase {
    func testACheckpointThatCannotBeWrittenStopsTheRunWithAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-checkpoint-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The run file's directory would have to be inside a regular file: every write fails.
        let blocker = directory.appendingPathComponent("blocker")
        try Data("not a directory".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("runs/a.h5").path
        let configuration = RunConfiguration(task: .adding(length: 6, trainingExamples: 60, evaluationExamples: 20),
                                             model: ModelSettings(cell: .gru, hiddenSize: 4),
                                             training: TrainingConfiguration(epochs: 3, optimizer: .adam(learningRate: 0.01), seed: 1),
                                             batchSize: 20)
        let data = DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory)
        var epochs: [Int] = []
        XCTAssertThrowsError(try RunExecutor.run(configuration, data: data, writingTo: path, rnnlabVersion: "test",
                                                 onEpoch: { epochs.append($0.epoch) })) { error in
            guard let failure = error as? CheckpointNotWritten else { return XCTFail("not a CheckpointNotWritten: \(error)") }
            XCTAssertEqual(failure.epoch, 1)
            XCTAssertEqual(failure.path, path)
            XCTAssertTrue(failure.description.hasPrefix("checkpoint after epoch 1 not written to \(path): "), failure.description)
        }
        XCTAssertEqual(epochs, [1], "training stops after the epoch whose checkpoint failed")
    }
}
