import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabHDF5
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

final class RunFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-runs-\(UUID().uuidString)")
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    func configuration(seed: UInt64 = 1, cell: CellKind = .gru) -> RunConfiguration {
        RunConfiguration(task: .adding(length: 8, trainingExamples: 200, evaluationExamples: 50),
                         model: ModelSettings(cell: cell, hiddenSize: 8),
                         training: TrainingConfiguration(epochs: 2, optimizer: .adam(learningRate: 0.01), clipping: .globalNorm(1), seed: seed),
                         batchSize: 20)
    }

    func testRunFileRoundTripAndDeterminism() throws {
        let data = DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory)
        let path = directory.appendingPathComponent("nested/runs/a.h5").path
        let written = try RunExecutor.run(configuration(), data: data, writingTo: path, rnnlabVersion: "test")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("nested/runs").path), ["a.h5"],
                       "no temporary file is left behind")
        let read = try RunFile.read(from: path)
        XCTAssertEqual(read.configuration, configuration())
        XCTAssertEqual(read.runID, try configuration().runID())
        XCTAssertEqual(read.status, .complete)
        XCTAssertEqual(read.epochs.count, 2)
        XCTAssertEqual(read.epochs.map(\.validationMetrics), written.epochs.map(\.validationMetrics))
        XCTAssertEqual(read.finalWeights.map(\.name),
                       ["decoder.bias", "decoder.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"])
        XCTAssertEqual(read.finalWeights.first { $0.name == "rnn.weight_hh_l0" }?.shape, [24, 8])
        XCTAssertNotEqual(read.initialWeights.map(\.values), read.finalWeights.map(\.values), "training changed the weights")
        let final = try RunFile.finalMetrics(from: path)
        XCTAssertEqual(final, written.outcome?.testMetricsAtBestEpoch)
        XCTAssertNotNil(final["mse"])
        // The stored weights rebuild the same model: its test loss equals the stored one.
        let (model, task) = try read.makeModel(data: data)
        let metrics = task.makeSource(batchSize: 20).makeMetrics()
        for batch in task.makeSource(batchSize: 20).evaluationBatches(.test) {
            model.forward(batch)
            metrics.add(batch, model: model)
        }
        XCTAssertEqual(metrics.values["mse"]!, read.epochs.last!.testMetrics["mse"]!, accuracy: 1e-12)
        // The same configuration again: identical numbers and weights.
        let again = try RunExecutor.run(configuration(), data: data, writingTo: directory.appendingPathComponent("b.h5").path, rnnlabVersion: "test")
        XCTAssertEqual(again.finalWeights.map(\.values), written.finalWeights.map(\.values))
        XCTAssertEqual(again.steps.map(\.loss), written.steps.map(\.loss))
        // Training seconds: the last epoch's, or, in files whose seconds restarted at a resume, each process's last summed.
        var resumed = written
        resumed.epochs = [3.0, 7, 2, 5].enumerated().map { index, seconds in
            var epoch = written.epochs[0]
            epoch.epoch = index + 1
            epoch.wallSeconds = seconds
            return epoch
        }
        XCTAssertEqual(resumed.trainingSeconds, 12)
        resumed.epochs[2].wallSeconds = 8
        resumed.epochs[3].wallSeconds = 11
        XCTAssertEqual(resumed.trainingSeconds, 11)
        // Not a run file: a clear error.
        let other = directory.appendingPathComponent("other.h5").path
        let file = try HDF5File.create(at: other)
        file.close()
        XCTAssertThrowsError(try RunFile.read(from: other)) { error in
            XCTAssertTrue("\(error)".contains("not an RNNLab run file"), "\(error)")
        }
    }
}

final class SamplerTests: XCTestCase {
    func testGreedySamplingContinuesALearnedCycle() throws {
        let text = String(repeating: "abcd", count: 500)
        let vocabulary = CharacterVocabulary(text: text)
        let stream = try vocabulary.encode(text)
        let task = try LanguageModelTask(name: "cycle", vocabularySize: 4, training: stream, validation: Array(stream[0..<100]),
                                         test: Array(stream[0..<100]), steps: 10, embeddingDimension: 8,
                                         tokenizer: .characters(vocabulary))
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: task.input, cell: .lstm, hiddenSize: 16, head: task.head))
        try Trainer(model: model, configuration: TrainingConfiguration(epochs: 3, optimizer: .adam(learningRate: 0.02), seed: 1),
                    source: task.makeSource(batchSize: 8)).run()
        let sample = try Sampler.text(model: model, tokenizer: vocabulary, prime: "ab", length: 10, temperature: 0, seed: 1)
        XCTAssertEqual(sample, "abcdabcdabcd")
        let random = try Sampler.text(model: model, tokenizer: vocabulary, prime: "ab", length: 50, temperature: 1, seed: 2)
        XCTAssertEqual(random.count, 52)
        XCTAssertEqual(random, try Sampler.text(model: model, tokenizer: vocabulary, prime: "ab", length: 50, temperature: 1, seed: 2))
    }

    /// A scan cell generates through its sequential form (one step at a time from the carried state) and gets its
    /// scan mode back afterwards; a learned cycle continues.
    func testScanCellSamplingUsesTheSequentialFormAndContinuesACycle() throws {
        let text = String(repeating: "abcd", count: 500)
        let vocabulary = CharacterVocabulary(text: text)
        let stream = try vocabulary.encode(text)
        let task = try LanguageModelTask(name: "cycle", vocabularySize: 4, training: stream, validation: Array(stream[0..<100]),
                                         test: Array(stream[0..<100]), steps: 10, embeddingDimension: 8,
                                         tokenizer: .characters(vocabulary))
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: task.input, cell: .minGRU, hiddenSize: 16, head: task.head))
        try Trainer(model: model, configuration: TrainingConfiguration(epochs: 3, optimizer: .adam(learningRate: 0.02), seed: 1),
                    source: task.makeSource(batchSize: 8)).run()
        model.network.scanMode = .parallel
        let sample = try Sampler.text(model: model, tokenizer: vocabulary, prime: "ab", length: 10, temperature: 0, seed: 1)
        XCTAssertEqual(sample, "abcdabcdabcd")
        XCTAssertEqual(model.network.scanMode, .parallel)
    }

    func testPianoRollSamplingWritesAValidMIDIFile() throws {
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: .dense(features: 88), cell: .gru, hiddenSize: 8,
                                                                    head: .binaryPerStep(units: 88)))
        var random = RandomStream(seed: 1, stream: "init")
        InitializationScheme().apply(to: model, random: &random)
        let roll = try Sampler.pianoRoll(model: model, length: 16, seed: 3)
        XCTAssertEqual(roll.count, 16)
        XCTAssertTrue(roll.allSatisfy { $0.allSatisfy { (21...108).contains($0) } })
        XCTAssertGreaterThan(roll.reduce(0) { $0 + $1.count }, 0, "an untrained model turns keys on about half the time")
        let midi = [UInt8](MIDIWriter.data(pianoRoll: roll))
        XCTAssertEqual(Array(midi[0..<4]), Array("MThd".utf8))
        XCTAssertEqual(Array(midi[14..<18]), Array("MTrk".utf8))
    }
}
