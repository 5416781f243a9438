import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

/// Sequence-to-sequence runs through experiment files, the run executor and the
/// HDF5 run file, and decoding with a stored run.
final class Seq2SeqRunTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-seq2seq-\(UUID().uuidString)")
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    func experiment(task: String, model: String, training: String = "training: {epochs: 1, optimizer: adam}") throws -> Experiment {
        try Experiment.parse("name: t\ntask: \(task)\nmodel: \(model)\n\(training)\n", file: "t.yaml")
    }

    func testExperimentFilesReadTheNewKeys() throws {
        let e = try experiment(task: "{kind: dates, max_training_length: 18, test_lengths: [10, 25], training_examples: 300}",
                               model: "{kind: seq2seq, cell: gru, hidden_size: 16, bidirectional: true, attention: general, decoder_cell: lstm, embedding: 8}")
        let configuration = try e.plan()[0].configuration
        guard case .seq2seq(let task) = configuration.task else { return XCTFail("not a seq2seq task") }
        XCTAssertEqual(task, Seq2SeqTaskSpecification(kind: .dates, maxTrainingLength: 18, testLengths: [10, 25], trainingExamples: 300))
        XCTAssertEqual(configuration.model.seq2seq, Seq2SeqModelSettings(attention: .general, embedding: 8, decoderCell: .lstm,
                                                                         decoderHiddenSize: 16, decoderLayers: 1))
        let none = try experiment(task: "{kind: addition}", model: "{kind: seq2seq, cell: lstm, hidden_size: 8}")
        XCTAssertNil(try none.plan()[0].configuration.model.seq2seq?.attention)

        // Mismatches are errors with the file position and key.
        XCTAssertThrowsError(try experiment(task: "{kind: reversal}", model: "{cell: lstm, hidden_size: 8}")) { error in
            XCTAssertTrue("\(error)".hasPrefix("t.yaml:3:8: model.kind: this sequence-to-sequence task needs model.kind: seq2seq"), "\(error)")
        }
        XCTAssertThrowsError(try experiment(task: "{kind: adding}", model: "{kind: seq2seq, cell: lstm, hidden_size: 8}"))
        XCTAssertThrowsError(try experiment(task: "{kind: reversal}",
                                            model: "{kind: seq2seq, cell: gru, hidden_size: 8, bidirectional: true, attention: dot}")) { error in
            XCTAssertTrue("\(error)".contains("dot attention needs the encoder output size (16)"), "\(error)")
        }
        XCTAssertThrowsError(try experiment(task: "{kind: reversal}", model: "{kind: seq2seq, cell: gru, hidden_size: 8, attention: bahdanau}")) { error in
            XCTAssertTrue("\(error)".contains("model.attention: 'bahdanau' is not one of none, additive, dot, general"), "\(error)")
        }
        XCTAssertThrowsError(try experiment(task: "{kind: adding}", model: "{cell: gru, hidden_size: 8, attention: dot}")) { error in
            XCTAssertTrue("\(error)".contains("model.attention: only for model.kind: seq2seq"), "\(error)")
        }

        // Readouts: attention, and last / mean as the names of final_state / mean_pool (same run IDs).
        let sentiment = "{kind: adding}"
        let attention = try experiment(task: sentiment, model: "{cell: gru, hidden_size: 8, readout: attention}")
        XCTAssertEqual(try attention.plan()[0].configuration.model.readout, .attentionPool)
        for (alias, name) in [("last", "final_state"), ("mean", "mean_pool")] {
            XCTAssertEqual(try experiment(task: sentiment, model: "{cell: gru, hidden_size: 8, readout: \(alias)}").plan()[0].runID,
                           try experiment(task: sentiment, model: "{cell: gru, hidden_size: 8, readout: \(name)}").plan()[0].runID)
        }
        // Sequence-model run IDs do not change with the new optional settings.
        let plain = RunConfiguration(task: .adding(length: 8), model: ModelSettings(cell: .gru, hiddenSize: 8),
                                     training: TrainingConfiguration(epochs: 1, optimizer: .adam(), seed: 1), batchSize: 32)
        XCTAssertFalse(try plain.canonicalJSON().contains("seq2seq"))
    }

    func testSeq2SeqRunTrainsIsStoredAndDecodes() throws {
        let e = try experiment(
            task: "{kind: reversal, max_training_length: 4, test_lengths: [2, 4, 6], training_examples: 2000, validation_examples: 100, test_examples_per_length: 50}",
            model: "{kind: seq2seq, cell: gru, hidden_size: 32, attention: additive, embedding: 16}",
            training: "training: {epochs: 6, batch_size: 25, optimizer: {kind: adam, learning_rate: 0.01}, clipping: {kind: global_norm, threshold: 5}}")
        let run = try e.plan()[0]
        let data = DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory)
        let path = directory.appendingPathComponent("runs/a.h5").path
        let written = try RunExecutor.run(run.configuration, data: data, writingTo: path, rnnlabVersion: "test")
        let file = try RunFile.read(from: path)
        XCTAssertEqual(file.status, .complete)
        XCTAssertEqual(file.configuration, run.configuration)
        XCTAssertEqual(file.epochs.map(\.testMetrics), written.epochs.map(\.testMetrics))
        let names = Set(file.finalWeights.map(\.name))
        for name in ["source_embedding.weight", "encoder.weight_ih_l0", "decoder.weight_hh_l0", "attention.W_q.weight",
                     "attention.W_k.bias", "attention.v.weight", "attention.W_c.weight", "output.weight"] {
            XCTAssertTrue(names.contains(name), name)
        }
        for name in ["loss", "exact_match", "token_accuracy", "exact_match_len_2", "exact_match_len_4", "exact_match_len_6",
                     "token_accuracy_len_6"] {
            XCTAssertNotNil(file.finalMetrics[name], name)
        }
        // It learned: most short test sequences are reversed exactly, far above copying the source.
        let baseline = Seq2SeqEvaluator(task: try Seq2SeqTaskSpecification(kind: .reversal, maxTrainingLength: 4, testLengths: [2, 4, 6],
                                                                           trainingExamples: 2000, validationExamples: 100,
                                                                           testExamplesPerLength: 50).makeTask(), batchSize: 25).baseline()
        let exact = try XCTUnwrap(file.finalMetrics["exact_match_len_4"])
        XCTAssertGreaterThan(exact, 0.8)
        XCTAssertGreaterThan(exact, try XCTUnwrap(baseline["exact_match_len_4"]) + 0.5)
        // Decoding with the stored run (greedy and beam search).
        let (model, task) = try file.makeEncoderDecoder()
        XCTAssertEqual(try Seq2SeqSampler.decode(model: model, task: task, input: "abcd"), "dcba")
        XCTAssertEqual(try Seq2SeqSampler.decode(model: model, task: task, input: "abcd", beamWidth: 3, lengthPenalty: 1), "dcba")
        XCTAssertThrowsError(try Seq2SeqSampler.decode(model: model, task: task, input: "ab7"))
    }

    /// A run interrupted after its first epoch resumes from the checkpoint and ends with
    /// exactly the numbers and weights of the uninterrupted run.
    func testInterruptedRunResumesToIdenticalNumbers() throws {
        let e = try experiment(
            task: "{kind: addition, max_training_length: 2, test_lengths: [2, 3], training_examples: 200, validation_examples: 20, test_examples_per_length: 10}",
            model: "{kind: seq2seq, cell: lstm, hidden_size: 8, bidirectional: true, attention: general, embedding: 4, decoder_layers: 2}",
            training: "training: {epochs: 3, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}")
        let configuration = try e.plan()[0].configuration
        let data = DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory)
        let full = directory.appendingPathComponent("full.h5").path, partial = directory.appendingPathComponent("partial.h5").path
        let fullPath = full
        try RunExecutor.run(configuration, data: data, writingTo: full, rnnlabVersion: "test", onEpoch: { epoch in
            if epoch.epoch == 1 { try? FileManager.default.copyItem(atPath: fullPath, toPath: partial) }
        })
        let interrupted = try RunFile.read(from: partial)
        XCTAssertEqual(interrupted.status, .running)
        XCTAssertEqual(interrupted.checkpoint?.completedEpochs, 1)
        try RunExecutor.run(configuration, data: data, writingTo: partial, rnnlabVersion: "test")
        let a = try RunFile.read(from: full), b = try RunFile.read(from: partial)
        XCTAssertEqual(b.status, .complete)
        XCTAssertEqual(a.epochs.map(\.testMetrics), b.epochs.map(\.testMetrics))
        XCTAssertEqual(a.steps.map(\.loss), b.steps.map(\.loss))
        XCTAssertEqual(a.finalWeights.map(\.values), b.finalWeights.map(\.values))
        XCTAssertEqual(a.finalMetrics, b.finalMetrics)
    }
}
