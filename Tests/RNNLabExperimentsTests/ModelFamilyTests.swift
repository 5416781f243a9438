import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

/// The model-family seam: the registry resolves every configuration kind to its
/// family, and both families train through the same executor, trainer and
/// checkpoint path (an interrupted run resumes to the uninterrupted numbers).
final class ModelFamilyTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-families-\(UUID().uuidString)")
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    var data: DataDirectory { DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory) }

    func sequenceConfiguration() -> RunConfiguration {
        RunConfiguration(task: .adding(length: 8, trainingExamples: 200, evaluationExamples: 50),
                         model: ModelSettings(cell: .gru, hiddenSize: 8),
                         training: TrainingConfiguration(epochs: 3, optimizer: .adam(learningRate: 0.01), clipping: .globalNorm(1), seed: 1),
                         batchSize: 20)
    }

    func seq2seqConfiguration() throws -> RunConfiguration {
        let experiment = try Experiment.parse("""
            name: t
            task: {kind: reversal, max_training_length: 3, test_lengths: [2, 4], training_examples: 100, validation_examples: 20, test_examples_per_length: 10}
            model: {kind: seq2seq, cell: gru, hidden_size: 8, attention: additive, embedding: 4}
            training: {epochs: 3, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}

            """, file: "t.yaml")
        return try experiment.plan()[0].configuration
    }

    func testTheRegistryResolvesEachConfigurationKindToExactlyOneFamily() throws {
        let sequence = sequenceConfiguration(), seq2seq = try seq2seqConfiguration()
        XCTAssertEqual(try ModelFamilies.family(for: sequence).name, "sequence")
        XCTAssertEqual(try ModelFamilies.family(for: seq2seq).name, "seq2seq")
        XCTAssertTrue(try ModelFamilies.family(for: sequence) is SequenceFamily)
        XCTAssertTrue(try ModelFamilies.family(for: seq2seq) is EncoderDecoderFamily)
        for configuration in [sequence, seq2seq] {
            XCTAssertEqual(ModelFamilies.all.filter { $0.accepts(configuration) }.count, 1)
        }
        XCTAssertEqual(Set(ModelFamilies.all.map(\.name)).count, ModelFamilies.all.count)
    }

    func testBothFamiliesTrainWithTheSharedTrainer() throws {
        let sequence = try ModelFamilies.family(for: sequenceConfiguration()).makeTraining(for: sequenceConfiguration(), data: data)
        XCTAssertTrue(sequence.trainer is Trainer<Float>)
        let configuration = try seq2seqConfiguration()
        let seq2seq = try ModelFamilies.family(for: configuration).makeTraining(for: configuration, data: data)
        XCTAssertTrue(seq2seq.trainer is Seq2SeqTrainer<Float>)
        XCTAssertNil(seq2seq.tokenizer)
    }

    func testBothFamiliesResumeThroughTheExecutorToIdenticalNumbers() throws {
        for (name, configuration) in [("sequence", sequenceConfiguration()), ("seq2seq", try seq2seqConfiguration())] {
            let full = directory.appendingPathComponent("\(name)-full.h5").path
            let partial = directory.appendingPathComponent("\(name)-partial.h5").path
            try RunExecutor.run(configuration, data: data, writingTo: full, rnnlabVersion: "test", onEpoch: { epoch in
                if epoch.epoch == 1 { try? FileManager.default.copyItem(atPath: full, toPath: partial) }
            })
            XCTAssertEqual(try RunFile.read(from: partial).checkpoint?.completedEpochs, 1, name)
            try RunExecutor.run(configuration, data: data, writingTo: partial, rnnlabVersion: "test")
            let a = try RunFile.read(from: full), b = try RunFile.read(from: partial)
            XCTAssertEqual(b.status, .complete, name)
            XCTAssertEqual(a.epochs.count, 3, name)
            XCTAssertEqual(a.epochs.map(\.testMetrics), b.epochs.map(\.testMetrics), name)
            XCTAssertEqual(a.steps.map(\.loss), b.steps.map(\.loss), name)
            XCTAssertEqual(a.finalWeights.map(\.values), b.finalWeights.map(\.values), name)
            XCTAssertEqual(a.finalMetrics, b.finalMetrics, name)
        }
    }

    func testAFamilyThatDoesNotGenerateWithoutInputSaysSo() throws {
        let configuration = try seq2seqConfiguration()
        let path = directory.appendingPathComponent("s.h5").path
        let file = try RunExecutor.run(configuration, data: data, writingTo: path, rnnlabVersion: "test")
        XCTAssertThrowsError(try ModelFamilies.family(for: configuration).generate(from: file, GenerationRequest(), data: data)) { error in
            XCTAssertEqual(error as? GenerationError, .missingInput)
        }
        guard case .text(let decoded) = try ModelFamilies.family(for: configuration)
            .generate(from: file, GenerationRequest(length: 20, input: "abc"), data: data) else { return XCTFail("no text") }
        XCTAssertEqual(decoded, try Seq2SeqSampler.decode(model: file.makeEncoderDecoder().model, task: file.makeEncoderDecoder().task,
                                                          input: "abc", maxLength: 20))
    }
}
