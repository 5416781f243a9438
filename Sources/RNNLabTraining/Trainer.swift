import Foundation

/// Drives a `SequenceModel` through epochs of a `BatchSource`'s batches with
/// the options of a `TrainingConfiguration`, and reports every step and epoch
/// to its observers.
///
/// One epoch: for each training batch, its truncation segments in order; for
/// each segment, a forward pass from the carried state, back-propagation (which
/// stops at the segment's start), clipping, and one optimizer update. The state
/// carries across segments, and across batches that continue the previous one;
/// it is detached (copied) at every boundary. After the epoch, the validation
/// and test losses are computed, the schedule and early stopping are updated.
public final class Trainer<T: Scalar> {
    public let model: SequenceModel<T>
    public let configuration: TrainingConfiguration
    public let optimizer: Optimizer<T>
    public var streams: RandomStreams { loop.streams }
    public var scheduler: LearningRateScheduler { loop.scheduler }
    public var earlyStopping: EarlyStopping { loop.earlyStopping }
    private var loop: TrainingLoop
    private let source: any BatchSource<T>
    private let carriedHidden = Tensor<T>(shape: [0])
    private let carriedCell = Tensor<T>(shape: [0])
    private var hasCarriedState = false

    /// Creates a trainer and initialises the model's parameters from the run's
    /// initialisation stream.
    public init(model: SequenceModel<T>, configuration: TrainingConfiguration, source: any BatchSource<T>) throws {
        if model.configuration.recurrent.bidirectional, configuration.truncation != .full {
            throw TrainingError.invalidConfiguration(
                "truncation \(configuration.truncation) needs a unidirectional network: a reverse sweep cannot be truncated")
        }
        if case .fixed(let k) = configuration.truncation, k < 1 {
            throw TrainingError.invalidConfiguration("truncation length must be at least 1, got \(k)")
        }
        if case .randomized(let k, _) = configuration.truncation, k < 1 {
            throw TrainingError.invalidConfiguration("mean truncation length must be at least 1, got \(k)")
        }
        if configuration.lossReduction == .sumOverSteps, !model.configuration.head.isPerStep {
            throw TrainingError.invalidConfiguration("loss reduction sum_over_steps needs a per-step head")
        }
        self.model = model
        self.configuration = configuration
        self.source = source
        self.loop = try TrainingLoop(configuration: configuration)
        self.optimizer = Optimizer(configuration.optimizer, parameters: model.parameters)
        configuration.initialization.apply(to: model, random: &loop.streams.initialization)
    }

    /// Adds an observer of steps, epochs and the outcome.
    public func addObserver(_ observer: TrainingObserver) {
        loop.observers.append(observer)
    }

    /// Everything needed to continue training exactly where it stopped, apart
    /// from the parameter values and the optimizer's state tensors (which the
    /// caller saves from `model.parameters` and `optimizer.state`).
    public struct Checkpoint: Codable, Equatable, Sendable {
        public var completedEpochs: Int
        public var stepCount: Int
        public var optimizerStepCount: Int
        public var streams: RandomStreams
        public var scheduler: LearningRateScheduler
        public var earlyStopping: EarlyStopping
        public var testAtBest: [String: Double]
        /// Seconds of training up to this checkpoint, over every earlier process (nil in checkpoints written before
        /// it was recorded): a resumed run's `wallSeconds` continue from it, and `wall_clock_minutes` counts it.
        public var trainingSeconds: Double? = nil
    }

    /// The trainer's state now (call it from `trainerDidFinishEpoch` for an epoch-boundary checkpoint).
    public func checkpoint() -> Checkpoint {
        loop.checkpoint(optimizerStepCount: optimizer.stepCount)
    }

    /// Continues from a checkpoint: the next `run()` starts with the epoch after
    /// it. Restore the parameters and the optimizer's state tensors as well.
    public func restore(_ checkpoint: Checkpoint) {
        loop.restore(checkpoint)
        optimizer.restore(stepCount: checkpoint.optimizerStepCount)
    }

    /// Trains until the epoch budget, the step budget, early stopping or divergence.
    @discardableResult
    public func run() -> RunOutcome {
        guard let remaining = loop.begin() else { return finish() }
        epochs: for epoch in remaining {
            loop.scheduler.beginEpoch(epoch)
            hasCarriedState = false
            var lossSum = 0.0, lossCount = 0
            for batch in source.trainingBatches(epoch: epoch, random: &loop.streams.dataOrder) {
                if !batch.continuesPrevious || carriedHidden.count != stateCount(batch) { hasCarriedState = false }
                let perStep = model.configuration.head.isPerStep
                let segments = configuration.truncation.segments(steps: batch.steps, random: &loop.streams.truncation)
                for (index, range) in segments.enumerated() {
                    let segment = batch.slice(steps: range, perStepTargets: perStep)
                    let isLast = index == segments.count - 1
                    let loss = model.forward(segment, initialHidden: hasCarriedState ? carriedHidden : nil,
                                             initialCell: hasCarriedState && model.configuration.recurrent.cell.hasCellState ? carriedCell : nil,
                                             training: true, random: &loop.streams.dropout)
                    if perStep || isLast {
                        let (total, count) = model.lastLossSum
                        model.zeroGradients()
                        model.backward(stateGradientScale: configuration.truncation.stateGradientScale)
                        if configuration.lossReduction == .sumOverSteps {
                            // Zaremba et al.'s sum over the segment's steps: the mean's gradient times their number.
                            for parameter in model.parameters { parameter.scaleGradient(by: T(segment.steps)) }
                        }
                        let norms = configuration.clipping.apply(to: model.parameters)
                        let record = loop.step(epoch: epoch, loss: loss, norms: norms)
                        loop.notify(record)
                        if loop.isDiverged { break epochs }
                        optimizer.step(learningRate: loop.scheduler.rate)
                        lossSum += total
                        lossCount += count
                    }
                    carryState()
                    if loop.stepBudgetSpent { break }
                }
                if loop.stepBudgetSpent { break }
            }
            let trainingLoss = lossCount > 0 ? lossSum / Double(lossCount) : .nan
            let validationMetrics = evaluate(.validation), testMetrics = evaluate(.test)
            let record = loop.endEpoch(epoch, trainingLoss: trainingLoss, validationMetrics: validationMetrics, testMetrics: testMetrics)
            loop.notify(record)
            if !loop.continues { break }
        }
        return finish()
    }

    private func finish() -> RunOutcome {
        let outcome = loop.finish()
        loop.notify(outcome)
        return outcome
    }

    /// The task's metrics over a split (the mean loss over every counted target
    /// under `loss`), carrying state across batches that continue each other;
    /// empty when the split has no batches.
    public func evaluate(_ split: EvaluationSplit) -> [String: Double] {
        let batches = source.evaluationBatches(split)
        guard !batches.isEmpty else { return [:] }
        let metrics = source.makeMetrics()
        hasCarriedState = false
        for batch in batches {
            if !batch.continuesPrevious || carriedHidden.count != stateCount(batch) { hasCarriedState = false }
            model.forward(batch, initialHidden: hasCarriedState ? carriedHidden : nil,
                          initialCell: hasCarriedState && model.configuration.recurrent.cell.hasCellState ? carriedCell : nil)
            metrics.add(batch, model: model)
            carryState()
        }
        hasCarriedState = false
        return metrics.values
    }

    private func stateCount(_ batch: SequenceBatch<T>) -> Int {
        let r = model.configuration.recurrent
        return r.layers * r.directions * batch.batch * r.hiddenSize
    }

    /// Detaches the final state into the carried state for the next segment.
    private func carryState() {
        carriedHidden.copy(from: model.network.finalHidden)
        if model.configuration.recurrent.cell.hasCellState { carriedCell.copy(from: model.network.finalCell) }
        hasCarriedState = true
    }
}
