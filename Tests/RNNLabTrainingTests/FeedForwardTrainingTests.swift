import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import XCTest

/// How a non-recurrent model scores a stream that arrives in consecutive batches, and that it trains.
final class FeedForwardTrainingTests: XCTestCase {
    func streamBatch(_ tokens: [Int32]) -> SequenceBatch<Float> {
        SequenceBatch(steps: tokens.count, batch: 1, tokens: tokens, classTargets: tokens.map { $0 + 100 }, continuesPrevious: true)
    }

    func testSlidingWindowScoresEveryTokenOnceBehindItsHistory() {
        // Window of 4 moved by 2 (a Transformer of context 4): history 2, stride 2.
        var history: [[Int32]] = [[]]
        let window = EvaluationWindow(history: 2, stride: 2)
        let first = FeedForwardTraining<Float>.windows(of: streamBatch([0, 1, 2, 3, 4]), tokens: [0, 1, 2, 3, 4],
                                                       targets: [100, 101, 102, 103, 104], history: &history, window)
        XCTAssertEqual(first.map(\.tokens), [[0, 1], [0, 1, 2, 3], [2, 3, 4]])
        let ignore = SequenceModel<Float>.ignoreIndex
        XCTAssertEqual(first.map(\.classTargets), [[100, 101], [ignore, ignore, 102, 103], [ignore, ignore, 104]])
        let second = FeedForwardTraining<Float>.windows(of: streamBatch([5, 6]), tokens: [5, 6], targets: [105, 106],
                                                        history: &history, window)
        XCTAssertEqual(second.map(\.tokens), [[3, 4, 5, 6]], "the history carries across batches of the stream")
        XCTAssertEqual(second.map(\.classTargets), [[ignore, ignore, 105, 106]])
        // A TCN (no stride): the whole batch behind R − 1 = 3 earlier steps.
        var tcnHistory: [[Int32]] = [[0, 1, 2, 3, 4]]
        let tcn = FeedForwardTraining<Float>.windows(of: streamBatch([5, 6, 7]), tokens: [5, 6, 7], targets: [105, 106, 107],
                                                     history: &tcnHistory, EvaluationWindow(history: 3, stride: nil))
        XCTAssertEqual(tcn.map(\.tokens), [[2, 3, 4, 5, 6, 7]])
        XCTAssertEqual(tcnHistory, [[5, 6, 7]])
    }

    func testATCNLearnsToCopyTheTokenTwoStepsBack() throws {
        var random = RandomStream(seed: 5, stream: "data")
        func batch() -> SequenceBatch<Float> {
            let (T, B) = (12, 8)
            let tokens = (0..<(T * B)).map { _ in Int32(random.index(below: 4)) }
            let targets = (0..<(T * B)).map { n in n / B >= 2 ? tokens[n - 2 * B] : SequenceModel<Float>.ignoreIndex }
            return SequenceBatch(steps: T, batch: B, tokens: tokens, classTargets: targets)
        }
        let source = FixedBatchSource(training: (0..<16).map { _ in batch() }, validation: [batch()], test: [batch()])
        let model = FeedForwardSequenceModel<Float>(
            input: .oneHot(vocabulary: 4), body: TemporalConvNet<Float>(inputSize: 4, levels: 2, channels: 16, kernelSize: 2, dropout: 0),
            head: .classPerStep(classes: 4), readout: .finalState)
        let trainer = try ModelTrainer(model: model, configuration: TrainingConfiguration(
            epochs: 15, optimizer: .adam(learningRate: 0.01), seed: 1), source: source)
        let outcome = trainer.run()
        XCTAssertEqual(outcome.status, .complete)
        let test = try XCTUnwrap(outcome.testLossAtBestEpoch)
        XCTAssertLessThan(test, 0.2, "test loss \(test); chance is ln 4 ≈ 1.39")
    }
}
