import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import XCTest

/// "Echo the token from two steps back": random tokens over a vocabulary of 4,
/// target at step t is the input at t − 2 (ignored for t < 2). Chance level is ln 4 ≈ 1.386.
func echoBatches(count: Int, seed: UInt64) -> [SequenceBatch<Float>] {
    var random = RandomStream(seed: seed, stream: "echo")
    let (T, B) = (12, 16)
    return (0..<count).map { _ in
        let tokens = (0..<(T * B)).map { _ in Int32(random.index(below: 4)) }
        let targets = (0..<(T * B)).map { $0 < 2 * B ? SequenceModel<Float>.ignoreIndex : tokens[$0 - 2 * B] }
        return SequenceBatch(steps: T, batch: B, tokens: tokens, classTargets: targets)
    }
}

/// The trainer end to end on small generated tasks.
final class TrainerTests: XCTestCase {
    func makeTrainer(cell: CellKind, configuration: TrainingConfiguration, layers: Int = 1) throws -> Trainer<Float> {
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: .oneHot(vocabulary: 4), cell: cell,
                                                                    hiddenSize: 24, layers: layers, head: .classPerStep(classes: 4)))
        let source = FixedBatchSource(training: echoBatches(count: 20, seed: 1), validation: echoBatches(count: 4, seed: 2),
                                      test: echoBatches(count: 4, seed: 3))
        return try Trainer(model: model, configuration: configuration, source: source)
    }

    /// Echoing the token of two steps before. One layer of a cell with a recurrent matrix does it; IndRNN's
    /// units each see only their own past, and minGRU's and minLSTM's state is an average of past inputs
    /// gated by the current input alone, so that in one layer of 24 units neither separates the token two
    /// steps back from the later ones (test losses 0.86 and 1.12 after 15 epochs): they get two layers and
    /// are held to 0.6 (they reach 0.32, 0.49 and 0.46 for IndRNN, minGRU and minLSTM; chance is 1.386, and
    /// a model that has only the two latest tokens stays there).
    func testEveryCellLearnsTheEchoTask() throws {
        for cell in CellKind.allCases {
            let trainer = try makeTrainer(cell: cell, configuration: TrainingConfiguration(
                epochs: 15, optimizer: .adam(learningRate: 0.02), clipping: .globalNorm(5), seed: 1),
                layers: cell.recurrence == .matrix ? 1 : 2)
            let recorder = RecordingObserver()
            trainer.addObserver(recorder)
            let outcome = trainer.run()
            XCTAssertEqual(outcome.status, .complete)
            let test = try XCTUnwrap(outcome.testLossAtBestEpoch)
            XCTAssertLessThan(test, cell.recurrence == .matrix ? 0.15 : 0.6, "\(cell): test loss \(test) after \(outcome.epochsCompleted) epochs (chance 1.386)")
            XCTAssertEqual(recorder.steps.count, outcome.steps)
            XCTAssertEqual(recorder.epochs.count, 15)
            XCTAssertGreaterThan(recorder.epochs[0].trainingLoss, recorder.epochs[14].trainingLoss)
        }
    }

    func testSameSeedGivesBitIdenticalRunsAndADifferentSeedDoesNot() throws {
        func run(seed: UInt64) throws -> ([Double], [[Float]]) {
            let trainer = try makeTrainer(cell: .gru, configuration: TrainingConfiguration(
                epochs: 2, optimizer: .sgd(learningRate: 0.5, momentum: 0.9), clipping: .globalNorm(1),
                truncation: .randomized(mean: 4, unbiased: true), seed: seed))
            let recorder = RecordingObserver()
            trainer.addObserver(recorder)
            trainer.run()
            return (recorder.steps.map(\.loss), trainer.model.parameters.map { $0.value.array })
        }
        let (lossesA, weightsA) = try run(seed: 5)
        let (lossesB, weightsB) = try run(seed: 5)
        XCTAssertEqual(lossesA, lossesB)
        XCTAssertEqual(weightsA, weightsB)
        let (lossesC, _) = try run(seed: 6)
        XCTAssertNotEqual(lossesA, lossesC)
    }

    /// Zaremba et al.'s reduction (batch mean, summed over steps): one plain SGD step
    /// moves every parameter T times as far as the mean's, and reported losses stay means.
    func testSumOverStepsScalesTheGradientByTheSegmentLength() throws {
        func firstStep(_ reduction: LossReduction?) throws -> (loss: Double, deltas: [[Float]]) {
            let trainer = try makeTrainer(cell: .lstm, configuration: TrainingConfiguration(
                epochs: 1, maxSteps: 1, optimizer: .sgd(learningRate: 0.1), truncation: .fixed(5), seed: 4,
                lossReduction: reduction))
            let before = trainer.model.parameters.map { $0.value.array }
            let recorder = RecordingObserver()
            trainer.addObserver(recorder)
            trainer.run()
            let after = trainer.model.parameters.map { $0.value.array }
            return (try XCTUnwrap(recorder.steps.first).loss, zip(after, before).map { a, b in zip(a, b).map { $0 - $1 } })
        }
        let mean = try firstStep(nil), sum = try firstStep(.sumOverSteps)
        XCTAssertEqual(mean.loss, sum.loss, "the reported loss is the mean in both")
        var compared = 0
        for (m, s) in zip(mean.deltas, sum.deltas) {
            for (a, b) in zip(m, s) where abs(a) > 1e-3 {
                XCTAssertEqual(Double(b / a), 5, accuracy: 1e-3, "a segment of 5 steps")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 20)
        XCTAssertEqual(try firstStep(.mean).deltas, mean.deltas, "mean is the default")
        XCTAssertNil(TrainingConfiguration(epochs: 1, optimizer: .adam(), seed: 1, lossReduction: .mean).lossReduction,
                     "an explicit mean is stored as the default, so run ids do not change")
    }

    /// Every update counts its input tokens (time steps × batch rows of its segment), and `max_tokens` ends the run
    /// at the update that reaches it, as `max_steps` does for updates.
    func testTokensAreCountedPerUpdateAndMaxTokensEndsTheRun() throws {
        let full = try makeTrainer(cell: .gru, configuration: TrainingConfiguration(
            epochs: 1, optimizer: .adam(), truncation: .fixed(5), seed: 2))
        let recorder = RecordingObserver()
        full.addObserver(recorder)
        full.run()
        let tokens = recorder.steps.map { $0.tokens ?? -1 }
        XCTAssertFalse(tokens.isEmpty)
        XCTAssertEqual(Array(tokens.prefix(3)), [80, 80, 32], "12 steps of 16 rows in segments of 5, 5 and 2 steps")
        XCTAssertEqual(tokens.count, 60)
        let perEpoch = tokens.reduce(0, +)
        let budget = perEpoch / 3
        let limited = try makeTrainer(cell: .gru, configuration: TrainingConfiguration(
            epochs: 5, optimizer: .adam(), truncation: .fixed(5), seed: 2, maxTokens: budget))
        let limitedRecorder = RecordingObserver()
        limited.addObserver(limitedRecorder)
        let outcome = limited.run()
        let spent = limitedRecorder.steps.compactMap(\.tokens)
        XCTAssertGreaterThanOrEqual(spent.reduce(0, +), budget)
        XCTAssertLessThan(spent.dropLast().reduce(0, +), budget, "the run ends at the update that reaches the budget")
        XCTAssertEqual(outcome.epochsCompleted, 1, "a third of an epoch's tokens ends the run inside its first epoch")
        XCTAssertNil(TrainingConfiguration(epochs: 1, optimizer: .adam(), seed: 1).maxTokens)
    }

    func testStreamsAreIndependent() throws {
        // Dropout on or off must not change the initial weights (separate streams).
        func initialWeights(dropout: Double) throws -> [[Float]] {
            let model = SequenceModel<Float>(SequenceModelConfiguration(input: .oneHot(vocabulary: 4), cell: .lstm,
                                                                        hiddenSize: 8, head: .classPerStep(classes: 4), dropout: dropout))
            _ = try Trainer(model: model, configuration: TrainingConfiguration(epochs: 1, optimizer: .adam(), seed: 3),
                            source: FixedBatchSource<Float>(training: []))
            return model.parameters.map { $0.value.array }
        }
        XCTAssertEqual(try initialWeights(dropout: 0), try initialWeights(dropout: 0.5))
    }

    func testDivergenceEndsTheRunCleanly() throws {
        // An LSTM with an absurd learning rate: NaN must flow through the gates and be reported.
        let lstm = try makeTrainer(cell: .lstm, configuration: TrainingConfiguration(
            epochs: 3, optimizer: .sgd(learningRate: 1e38), seed: 1))
        guard case .diverged = lstm.run().status else { return XCTFail("the LSTM run should diverge") }
        let trainer = try makeTrainer(cell: .rnnRelu, configuration: TrainingConfiguration(
            epochs: 3, optimizer: .sgd(learningRate: 1e30), initialization: InitializationScheme(recurrent: .identity(scale: 3)),
            seed: 1))
        let recorder = RecordingObserver()
        trainer.addObserver(recorder)
        let outcome = trainer.run()
        guard case .diverged(let step, let reason) = outcome.status else {
            return XCTFail("expected divergence, got \(outcome.status)")
        }
        XCTAssertEqual(step, recorder.steps.count, "every step up to the divergence is kept")
        XCTAssertGreaterThan(step, 1)
        XCTAssertTrue(reason.contains("non-finite"), reason)
        XCTAssertTrue(recorder.steps.dropLast().allSatisfy { $0.loss.isFinite })
        XCTAssertEqual(recorder.outcome, outcome)
    }

    func testEarlyStoppingReportsTestAtBestEpochAndStepRecords() throws {
        let trainer = try makeTrainer(cell: .lstm, configuration: TrainingConfiguration(
            epochs: 40, optimizer: .adam(learningRate: 0.05), clipping: .value(0.5), earlyStoppingPatience: 2, seed: 2))
        let recorder = RecordingObserver()
        trainer.addObserver(recorder)
        let outcome = trainer.run()
        let best = try XCTUnwrap(outcome.bestEpoch)
        XCTAssertEqual(recorder.epochs.first { $0.isBest && $0.epoch == best }?.testLoss, outcome.testLossAtBestEpoch)
        XCTAssertEqual(recorder.epochs.compactMap(\.validationLoss).min(), outcome.bestValidationLoss)
        XCTAssertTrue(recorder.steps.allSatisfy { $0.gradientNormAfter <= $0.gradientNormBefore + 1e-9 })
        XCTAssertTrue(zip(recorder.steps, recorder.steps.dropFirst()).allSatisfy { $0.wallSeconds <= $1.wallSeconds })
    }

    func testTruncationNeedsAUnidirectionalNetwork() {
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: .oneHot(vocabulary: 4), cell: .gru, hiddenSize: 4,
                                                                    bidirectional: true, head: .classPerSequence(classes: 2)))
        XCTAssertThrowsError(try Trainer(model: model, configuration: TrainingConfiguration(
            epochs: 1, optimizer: .adam(), truncation: .fixed(5), seed: 1), source: FixedBatchSource<Float>(training: [])))
    }
}

/// Resuming from an epoch-boundary checkpoint gives exactly the uninterrupted run.
final class CheckpointTests: XCTestCase {
    final class Snapshot: TrainingObserver {
        weak var trainer: Trainer<Float>?
        let atEpoch: Int
        var checkpoint: Trainer<Float>.Checkpoint?
        var weights: [[Float]] = []
        var optimizerState: [[Float]] = []
        init(atEpoch: Int) { self.atEpoch = atEpoch }
        func trainerDidFinishEpoch(_ record: EpochRecord) {
            guard record.epoch == atEpoch, let trainer else { return }
            checkpoint = trainer.checkpoint()
            weights = trainer.model.parameters.map { $0.value.array }
            optimizerState = trainer.optimizer.state.map { $0.tensor.array }
        }
    }

    func testResumeIsBitIdentical() throws {
        let configuration = TrainingConfiguration(
            epochs: 4, optimizer: .adam(learningRate: 0.01), schedule: .reduceOnPlateau(factor: 0.5, patience: 0),
            clipping: .globalNorm(1), truncation: .randomized(mean: 5), seed: 9)
        func model() -> SequenceModel<Float> {
            SequenceModel<Float>(SequenceModelConfiguration(input: .oneHot(vocabulary: 4), cell: .lstm, hiddenSize: 12,
                                                            head: .classPerStep(classes: 4), dropout: 0.2))
        }
        let source = FixedBatchSource(training: echoBatches(count: 6, seed: 1), validation: echoBatches(count: 2, seed: 2),
                                      test: echoBatches(count: 2, seed: 3))
        // Uninterrupted, with a snapshot after epoch 2.
        let full = try Trainer(model: model(), configuration: configuration, source: source)
        let snapshot = Snapshot(atEpoch: 2)
        snapshot.trainer = full
        full.addObserver(snapshot)
        let fullRecorder = RecordingObserver()
        full.addObserver(fullRecorder)
        let fullOutcome = full.run()
        // A fresh process: new model and trainer, restored from the snapshot.
        let resumed = try Trainer(model: model(), configuration: configuration, source: source)
        for (parameter, values) in zip(resumed.model.parameters, snapshot.weights) {
            parameter.value.copy(from: Tensor(shape: parameter.shape, values: values))
        }
        for (entry, values) in zip(resumed.optimizer.state, snapshot.optimizerState) {
            entry.tensor.copy(from: Tensor(shape: entry.tensor.shape, values: values))
        }
        resumed.restore(try XCTUnwrap(snapshot.checkpoint))
        let resumedRecorder = RecordingObserver()
        resumed.addObserver(resumedRecorder)
        let resumedOutcome = resumed.run()
        XCTAssertEqual(resumedRecorder.epochs.map(\.epoch), [3, 4])
        XCTAssertEqual(resumedRecorder.steps.map(\.loss), Array(fullRecorder.steps.map(\.loss).suffix(resumedRecorder.steps.count)))
        XCTAssertEqual(resumed.model.parameters.map { $0.value.array }, full.model.parameters.map { $0.value.array })
        XCTAssertEqual(resumedOutcome.testMetricsAtBestEpoch, fullOutcome.testMetricsAtBestEpoch)
        XCTAssertEqual(resumedOutcome.steps, fullOutcome.steps)
        // The resumed epochs' seconds count on from those trained before the checkpoint.
        let before = try XCTUnwrap(snapshot.checkpoint?.trainingSeconds)
        XCTAssertGreaterThanOrEqual(before, try XCTUnwrap(fullRecorder.epochs.first { $0.epoch == 2 }).wallSeconds)
        XCTAssertTrue(resumedRecorder.epochs.allSatisfy { $0.wallSeconds > before }, "\(resumedRecorder.epochs.map(\.wallSeconds))")
        // A checkpoint survives JSON.
        let decoded = try JSONDecoder().decode(Trainer<Float>.Checkpoint.self, from: JSONEncoder().encode(snapshot.checkpoint))
        XCTAssertEqual(decoded, snapshot.checkpoint)
    }
}
