import RNNLabLayers
import RNNLabNumerics
import RNNLabTasks
import RNNLabTraining
import RealModule
import XCTest

final class LanguageModelTaskTests: XCTestCase {
    func testUnigramBaselineAndMetrics() throws {
        // Training counts of ids 0, 1, 2 are 3, 1, 0 → add-one smoothed probabilities 4/7, 2/7, 1/7.
        let task = try LanguageModelTask(name: "toy", vocabularySize: 3, training: [0, 0, 1, 0],
                                         validation: [0, 1, 2, 0, 0], test: [1, 1, 1], steps: 2)
        // Validation targets are the tokens after the first: 1, 2, 0, 0.
        let expected = -(Double.log(2.0 / 7) + Double.log(1.0 / 7) + 2 * Double.log(4.0 / 7)) / 4
        let baseline = task.baseline(.validation)
        XCTAssertEqual(baseline["loss"]!, expected, accuracy: 1e-12)
        XCTAssertEqual(baseline["perplexity"]!, Double.exp(expected), accuracy: 1e-12)
        XCTAssertEqual(baseline["bits_per_token"]!, expected / Double.log(2), accuracy: 1e-12)
        // Evaluation covers every target of the stream, in one unbroken row.
        let batches = task.makeSource(batchSize: 2).evaluationBatches(.validation)
        XCTAssertEqual(batches.flatMap { $0.classTargets! }, [1, 2, 0, 0])
        XCTAssertEqual(batches.map(\.continuesPrevious), [false, true])
        XCTAssertThrowsError(try LanguageModelTask(name: "bad", vocabularySize: 2, training: [0, 5, 1], validation: [0, 1, 1],
                                                   test: [0, 1, 0], steps: 1))
    }

    func testAModelBeatsTheUnigramBaseline() throws {
        // A deterministic cycle 0 1 2 3 0 1 2 3 …: a recurrent model learns it, the unigram cannot.
        let stream = (0..<2_000).map { Int32($0 % 4) }
        let task = try LanguageModelTask(name: "cycle", vocabularySize: 4, training: stream, validation: Array(stream[0..<200]),
                                         test: Array(stream[0..<200]), steps: 10, embeddingDimension: 8)
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: task.input, cell: .gru, hiddenSize: 16, head: task.head))
        let outcome = try Trainer(model: model, configuration: TrainingConfiguration(epochs: 3, optimizer: .adam(learningRate: 0.02), seed: 1),
                                  source: task.makeSource(batchSize: 8)).run()
        XCTAssertEqual(task.baseline(.test)["perplexity"]!, 4, accuracy: 0.01)
        XCTAssertLessThan(try XCTUnwrap(outcome.testMetricsAtBestEpoch["perplexity"]), 1.2)
    }
}

final class MusicTaskTests: XCTestCase {
    func testPerKeyFrequencyBaselineByHand() throws {
        // Training: predicted frames (all but the first) are [60], [60, 64], [] → key 60 on 2/3, key 64 on 1/3.
        let task = try PolyphonicMusicTask(name: "toy", training: [[[], [60], [60, 64], []]],
                                           validation: [[[60], [60]]], test: [[[21], [64], [60]]])
        let eps = 1e-6
        func offKeys(_ count: Int) -> Double { Double(count) * -Double.log(1 - eps) }
        // Validation frame [60]: −log(2/3) − log(1 − 1/3) and 86 never-seen keys off.
        let frame60 = -Double.log(2.0 / 3) - Double.log(2.0 / 3) + offKeys(86)
        XCTAssertEqual(task.baseline(.validation)["nll"]!, frame60, accuracy: 1e-9)
        // Frame accuracy: only key 60 is predicted on (p = 2/3 > 0.5).
        XCTAssertEqual(task.baseline(.validation)["frame_accuracy"], 1)
        // Test frames [64] and [60]: FN for 64, FP for 60 in the first; TP for 60 in the second → 1/3.
        XCTAssertEqual(task.baseline(.test)["frame_accuracy"]!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertThrowsError(try PolyphonicMusicTask(name: "bad", training: [[[10], [60]]], validation: [[[60], [60]]],
                                                     test: [[[60], [60]]]))
    }

    func testBatchesShiftFramesAndMaskPadding() throws {
        let task = try PolyphonicMusicTask(name: "toy", training: [[[21], [22], [23]], [[108], [107]]],
                                           validation: [[[60], [61]]], test: [[[60], [61]]])
        var random = RandomStream(seed: 1, stream: "test")
        let batch = task.makeSource(batchSize: 2).trainingBatches(epoch: 1, random: &random)[0]
        XCTAssertEqual(batch.steps, 2)
        XCTAssertEqual(batch.lengths!.sorted(), [1, 2])
        let long = batch.lengths![0] == 2 ? 0 : 1
        // Step 1 of the long sequence reads pitch 22 and predicts pitch 23.
        XCTAssertEqual(batch.features![(1 * 2 + long) * 88 + 1], 1)
        XCTAssertEqual(batch.valueTargets![(1 * 2 + long) * 88 + 2], 1)
    }
}

final class SentimentTaskTests: XCTestCase {
    func examples(_ count: Int, seed: UInt64) -> [SentimentTask.Example] {
        var random = RandomStream(seed: seed, stream: "sentences")
        return (0..<count).map { _ in
            let length = 1 + random.index(below: 12)
            let tokens = (0..<length).map { _ in Int32(1 + random.index(below: 19)) }
            return SentimentTask.Example(tokens: tokens, label: tokens.contains(7) ? 1 : 0)
        }
    }

    func testMajorityBaseline() throws {
        let task = try SentimentTask(name: "toy", vocabularySize: 20, classes: 2,
                                     training: [.init(tokens: [1], label: 1), .init(tokens: [2], label: 1), .init(tokens: [3], label: 0)],
                                     validation: [.init(tokens: [1], label: 0), .init(tokens: [1, 2], label: 1)],
                                     test: [.init(tokens: [4], label: 1)], embeddingDimension: 4)
        XCTAssertEqual(task.baseline(.validation)["accuracy"], 0.5)
        XCTAssertEqual(task.baseline(.validation)["loss"]!, -(Double.log(1.0 / 3) + Double.log(2.0 / 3)) / 2, accuracy: 1e-12)
        XCTAssertEqual(task.baseline(.test)["accuracy"], 1)
    }

    /// A sentence gets the same prediction alone as in a padded batch with longer ones,
    /// for every readout and for bidirectional networks.
    func testPaddingInvariance() {
        let sentences = examples(6, seed: 3)
        for (readout, bidirectional) in [(SequenceReadout.finalState, false), (.finalState, true), (.meanPool, true)] {
            let model = SequenceModel<Double>(SequenceModelConfiguration(
                input: .embedding(vocabulary: 20, dimension: 5), cell: .lstm, hiddenSize: 6, layers: 2,
                bidirectional: bidirectional, head: .classPerSequence(classes: 2), readout: readout))
            var random = RandomStream(seed: 1, stream: "init")
            InitializationScheme().apply(to: model, random: &random)
            let batch = SentimentTask.batch(sentences).converted()
            model.forward(batch)
            let together = model.predictions.array
            for (b, sentence) in sentences.enumerated() {
                model.forward(SentimentTask.batch([sentence]).converted())
                for c in 0..<2 { XCTAssertEqual(model.predictions[c], together[b * 2 + c], accuracy: 1e-12, "\(readout) bi=\(bidirectional)") }
            }
        }
    }

    func testMeanPoolReadoutGradients() {
        let model = SequenceModel<Double>(SequenceModelConfiguration(
            input: .embedding(vocabulary: 20, dimension: 3), cell: .gru, hiddenSize: 4, bidirectional: true,
            head: .classPerSequence(classes: 2), readout: .meanPool))
        var random = RandomStream(seed: 2, stream: "init")
        InitializationScheme().apply(to: model, random: &random)
        let batch = SentimentTask.batch(examples(4, seed: 9)).converted()
        model.zeroGradients()
        model.forward(batch)
        model.backward()
        for parameter in model.parameters {
            for i in stride(from: 0, to: parameter.value.count, by: 5) {
                let saved = parameter.value[i]
                parameter.value[i] = saved + 1e-6
                let plus = model.forward(batch)
                parameter.value[i] = saved - 1e-6
                let minus = model.forward(batch)
                parameter.value[i] = saved
                XCTAssertEqual(parameter.gradient[i], (plus - minus) / 2e-6, accuracy: 1e-7, parameter.name)
            }
        }
    }

    func testBucketedTrainingBatchesCoverEveryExampleOnce() throws {
        let task = try SentimentTask(name: "toy", vocabularySize: 20, classes: 2, training: examples(100, seed: 1),
                                     validation: examples(10, seed: 2), test: examples(10, seed: 3), embeddingDimension: 4)
        var random = RandomStream(seed: 4, stream: "data-order")
        let batches = task.makeSource(batchSize: 8).trainingBatches(epoch: 1, random: &random)
        XCTAssertEqual(batches.reduce(0) { $0 + $1.batch }, 100)
        // Sorted buckets: padding is small.
        let padding = batches.reduce(0) { total, b in total + b.lengths!.reduce(0) { $0 + b.steps - $1 } }
        XCTAssertLessThan(padding, 100)
    }
}

extension SequenceBatch where T == Float {
    /// The same batch in Double, for exact comparisons.
    func converted() -> SequenceBatch<Double> {
        SequenceBatch<Double>(steps: steps, batch: batch, tokens: tokens, features: features?.converted(to: Double.self),
                              lengths: lengths, classTargets: classTargets, valueTargets: valueTargets?.converted(to: Double.self),
                              continuesPrevious: continuesPrevious)
    }
}
