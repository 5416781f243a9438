import Foundation
import RNNLabData
import RNNLabHDF5
import RNNLabLayers
@testable import RNNLabRunStore
import RNNLabTasks
@testable import RNNLabTraining
import XCTest

/// The run file's layout is pinned: a run file written from fixed values has the same checksum and the same bytes
/// as the files the code wrote before the run store became its own module.
final class RunFileLayoutPinTests: XCTestCase {
    static let pinnedChecksum = "sha256:101fefbbb89c124290ec00f70d3c7d6bfcad884e5d6476fe2cd18682edee775b"
    static let pinnedFileSHA256 = "293a097efc7e21111d72818cfb9e2851626c5b3fa7acd9f2500ec827a66bf96a"

    /// A run file with every optional part present: tokenizer, provenance, outcome, weights and (with `checkpoint`) a
    /// checkpoint. Without the checkpoint (whose JSON lists its keys in hash order) and with one final metric (the
    /// datasets of several are created in hash order), its bytes are the same in every process.
    static func fixedRunFile(checkpoint withCheckpoint: Bool = false) throws -> RunFile {
        let configuration = RunConfiguration(task: .adding(length: 6, trainingExamples: 40, evaluationExamples: 20),
                                             model: ModelSettings(cell: .gru, hiddenSize: 2),
                                             training: TrainingConfiguration(epochs: 2, optimizer: .adam(learningRate: 0.01), seed: 7),
                                             batchSize: 20)
        let task = try TaskCatalog.make(configuration.task, data: DataDirectory(explicit: "/nonexistent", environment: [:],
                                                                                workingDirectory: URL(fileURLWithPath: "/")))
        let model = SequenceModel<Float>(configuration.model.configuration(for: task))
        let trainer = try Trainer(model: model, configuration: configuration.training, source: task.makeSource(batchSize: 20))
        let weights: [(name: String, shape: [Int], values: [Float])] = [
            ("rnn.weight_hh_l0", [2, 3], [0.5, -1.25, 3, 0, -0, 1e-3]), ("decoder.bias", [1], [0.25]),
        ]
        var file = RunFile(runID: try configuration.runID(), configuration: configuration, status: .running,
                           statusDetail: "detail", tokenizer: .characters(CharacterVocabulary(text: "abc")),
                           provenance: Provenance(gitCommit: "abc123", gitDirty: true, rnnlabVersion: "0.1.0", swiftVersion: "6.3 or later",
                                                  blas: "OpenBLAS", blasThreads: 2, hdf5: "1.10.10", cpu: "test cpu",
                                                  commandLine: "rnnlab run x"),
                           steps: [StepRecord(step: 1, epoch: 1, loss: 0.5, gradientNormBefore: 2, gradientNormAfter: 1,
                                              learningRate: 0.01, wallSeconds: 0.125),
                                   StepRecord(step: 2, epoch: 2, loss: 0.25, gradientNormBefore: 1.5, gradientNormAfter: 1,
                                              learningRate: 0.01, wallSeconds: 0.25)],
                           epochs: [EpochRecord(epoch: 1, trainingLoss: 0.5, validationLoss: 0.4, testLoss: 0.45,
                                                validationMetrics: ["loss": 0.4, "mse": 0.4], testMetrics: ["loss": 0.45],
                                                learningRate: 0.01, wallSeconds: 0.125, isBest: true)],
                           outcome: RunOutcome(status: .complete, epochsCompleted: 1, steps: 2, bestEpoch: 1, bestValidationLoss: 0.4,
                                               testLossAtBestEpoch: 0.45, testMetricsAtBestEpoch: withCheckpoint ? ["loss": 0.45, "mse": 0.5] : ["mse": 0.5]),
                           initialWeights: weights, finalWeights: weights.reversed())
        file.experiment = "pinned"
        file.created = "2026-01-01T00:00:00Z"
        file.updated = "2026-01-02T00:00:00Z"
        if withCheckpoint {
            var checkpoint = trainer.checkpoint()
            checkpoint.trainingSeconds = 12.5
            file.checkpoint = checkpoint
            file.optimizerState = [("rnn.weight_hh_l0.m", [2, 3], [1, 2, 3, 4, 5, 6])]
        }
        return file
    }

    func testARunFileWrittenFromFixedValuesHasThePinnedChecksumAndBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-pin-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pinned.h5").path
        try Self.fixedRunFile().write(to: path)
        let file = try HDF5File.open(at: path)
        let checksum = try file.stringAttribute("checksum", on: "/")
        file.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let fileSHA = SHA256.hex(of: bytes)
        XCTAssertEqual(checksum, Self.pinnedChecksum)
        XCTAssertEqual(fileSHA, Self.pinnedFileSHA256)
        // Read back: every part as written, and the checksum verifies.
        let read = try RunFile.read(from: path)
        XCTAssertEqual(read.status, .running)
        XCTAssertEqual(read.statusDetail, "detail")
        XCTAssertEqual(read.experiment, "pinned")
        XCTAssertEqual(read.finalWeights.map(\.name), ["decoder.bias", "rnn.weight_hh_l0"])
        XCTAssertEqual(read.finalMetrics, ["mse": 0.5])
        XCTAssertEqual(read.bestEpoch, 1)
        XCTAssertEqual(read.steps.map(\.loss), [0.5, 0.25])
        XCTAssertEqual(read.steps.map(\.tokens), [nil, nil], "steps without token counts are stored as nan and read back as none")
        XCTAssertEqual(read.epochs.map(\.validationMetrics), [["loss": 0.4, "mse": 0.4]])
        XCTAssertEqual(read.provenance?.blasThreads, 2)
        XCTAssertNil(read.checkpoint)
    }

    func testACheckpointAndSeveralFinalMetricsAreWrittenWhereTheReaderFindsThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-pin-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("checkpoint.h5").path
        let written = try Self.fixedRunFile(checkpoint: true)
        try written.write(to: path)
        let file = try HDF5File.open(at: path)
        XCTAssertEqual(try file.children(of: "/").sorted(),
                       ["checkpoint", "config", "final", "metrics", "provenance", "tokenizer", "weights"])
        XCTAssertEqual(try file.children(of: "/checkpoint").sorted(), ["optimizer", "trainer"])
        XCTAssertEqual(try file.children(of: "/checkpoint/optimizer"), ["rnn.weight_hh_l0.m"])
        XCTAssertEqual(try file.children(of: "/final").sorted(), ["test_loss", "test_mse"])
        XCTAssertEqual(try file.children(of: "/metrics/step"),
                       ["epoch", "grad_norm_after", "grad_norm_before", "learning_rate", "loss", "step", "tokens", "wall_seconds"])
        XCTAssertEqual(try file.children(of: "/metrics/epoch"),
                       ["epoch", "learning_rate", "test_loss", "test_mse", "train_loss", "valid_loss", "valid_mse", "wall_seconds"])
        file.close()
        let read = try RunFile.read(from: path)
        XCTAssertEqual(read.checkpoint, written.checkpoint)
        XCTAssertEqual(read.optimizerState.map(\.values), [[1, 2, 3, 4, 5, 6]])
        XCTAssertEqual(read.optimizerState.map(\.shape), [[2, 3]])
        XCTAssertEqual(read.finalMetrics, ["loss": 0.45, "mse": 0.5])
    }
}
