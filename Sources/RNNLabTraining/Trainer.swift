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
    public private(set) var streams: RandomStreams
    public private(set) var scheduler: LearningRateScheduler
    public private(set) var earlyStopping: EarlyStopping
    private let source: any BatchSource<T>
    private var observers: [TrainingObserver] = []
    private var stepCount = 0
    private var completedEpochs = 0
    private var testAtBest: [String: Double] = [:]
    private let carriedHidden = Tensor<T>(shape: [0])
    private let carriedCell = Tensor<T>(shape: [0])
    private var hasCarriedState = false
    private var start = DispatchTime.now()

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
        guard configuration.epochs >= 1 else {
            throw TrainingError.invalidConfiguration("epochs must be at least 1, got \(configuration.epochs)")
        }
        self.model = model
        self.configuration = configuration
        self.source = source
        self.streams = RandomStreams(seed: configuration.seed)
        self.optimizer = Optimizer(configuration.optimizer, parameters: model.parameters)
        self.scheduler = LearningRateScheduler(configuration.schedule, baseRate: configuration.optimizer.learningRate)
        self.earlyStopping = EarlyStopping(patience: configuration.earlyStoppingPatience)
        configuration.initialization.apply(to: model, random: &streams.initialization)
    }

    /// Adds an observer of steps, epochs and the outcome.
    public func addObserver(_ observer: TrainingObserver) {
        observers.append(observer)
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
    }

    /// The trainer's state now (call it from `trainerDidFinishEpoch` for an epoch-boundary checkpoint).
    public func checkpoint() -> Checkpoint {
        Checkpoint(completedEpochs: completedEpochs, stepCount: stepCount, optimizerStepCount: optimizer.stepCount,
                   streams: streams, scheduler: scheduler, earlyStopping: earlyStopping, testAtBest: testAtBest)
    }

    /// Continues from a checkpoint: the next `run()` starts with the epoch after
    /// it. Restore the parameters and the optimizer's state tensors as well.
    public func restore(_ checkpoint: Checkpoint) {
        completedEpochs = checkpoint.completedEpochs
        stepCount = checkpoint.stepCount
        optimizer.restore(stepCount: checkpoint.optimizerStepCount)
        streams = checkpoint.streams
        scheduler = checkpoint.scheduler
        earlyStopping = checkpoint.earlyStopping
        testAtBest = checkpoint.testAtBest
    }

    /// Trains until the epoch budget, the step budget, early stopping or divergence.
    @discardableResult
    public func run() -> RunOutcome {
        start = DispatchTime.now()
        var outcome = RunOutcome(status: .complete, epochsCompleted: completedEpochs, steps: stepCount)
        let alreadyDone = completedEpochs >= configuration.epochs || earlyStopping.shouldStop
            || configuration.maxSteps.map { stepCount >= $0 } == true
        epochs: for epoch in (completedEpochs + 1)..<(alreadyDone ? completedEpochs + 1 : configuration.epochs + 1) {
            scheduler.beginEpoch(epoch)
            hasCarriedState = false
            var lossSum = 0.0, lossCount = 0
            for batch in source.trainingBatches(epoch: epoch, random: &streams.dataOrder) {
                if !batch.continuesPrevious || carriedHidden.count != stateCount(batch) { hasCarriedState = false }
                let perStep = model.configuration.head.isPerStep
                let segments = configuration.truncation.segments(steps: batch.steps, random: &streams.truncation)
                for (index, range) in segments.enumerated() {
                    let segment = batch.slice(steps: range, perStepTargets: perStep)
                    let isLast = index == segments.count - 1
                    let loss = model.forward(segment, initialHidden: hasCarriedState ? carriedHidden : nil,
                                             initialCell: hasCarriedState && model.configuration.recurrent.cell.hasCellState ? carriedCell : nil,
                                             training: true, random: &streams.dropout)
                    if perStep || isLast {
                        let (total, count) = model.lastLossSum
                        model.zeroGradients()
                        model.backward(stateGradientScale: configuration.truncation.stateGradientScale)
                        let norms = configuration.clipping.apply(to: model.parameters)
                        stepCount += 1
                        let record = StepRecord(step: stepCount, epoch: epoch, loss: loss,
                                                gradientNormBefore: norms.before, gradientNormAfter: norms.after,
                                                learningRate: scheduler.rate, wallSeconds: elapsed())
                        observers.forEach { $0.trainerDidFinishStep(record) }
                        if !loss.isFinite || !norms.before.isFinite {
                            let what = !loss.isFinite ? "loss \(loss)" : "gradient norm \(norms.before)"
                            outcome.status = .diverged(step: stepCount, reason: "non-finite \(what)")
                            break epochs
                        }
                        optimizer.step(learningRate: scheduler.rate)
                        lossSum += total
                        lossCount += count
                    }
                    carryState()
                    if let maxSteps = configuration.maxSteps, stepCount >= maxSteps { break }
                }
                if let maxSteps = configuration.maxSteps, stepCount >= maxSteps { break }
            }
            let validationMetrics = evaluate(.validation), testMetrics = evaluate(.test)
            let validation = validationMetrics["loss"], test = testMetrics["loss"]
            let isBest = validation.map { earlyStopping.record(epoch: epoch, validationMetric: $0) } ?? false
            if isBest { testAtBest = testMetrics }
            completedEpochs = epoch
            if let validation { scheduler.endEpoch(validationMetric: validation) }
            let trainingLoss = lossCount > 0 ? lossSum / Double(lossCount) : .nan
            let record = EpochRecord(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validation, testLoss: test,
                                     validationMetrics: validationMetrics, testMetrics: testMetrics,
                                     learningRate: scheduler.rate, wallSeconds: elapsed(), isBest: isBest)
            observers.forEach { $0.trainerDidFinishEpoch(record) }
            outcome.epochsCompleted = epoch
            outcome.finalTrainingLoss = trainingLoss
            if let validation, !validation.isFinite {
                outcome.status = .diverged(step: stepCount, reason: "non-finite validation loss")
                break
            }
            if earlyStopping.shouldStop { break }
            if let limit = configuration.wallClockSeconds, elapsed() >= limit { break }
            if let maxSteps = configuration.maxSteps, stepCount >= maxSteps { break }
        }
        outcome.steps = stepCount
        outcome.bestEpoch = earlyStopping.bestEpoch
        outcome.bestValidationLoss = earlyStopping.bestMetric
        outcome.testLossAtBestEpoch = testAtBest["loss"]
        outcome.testMetricsAtBestEpoch = testAtBest
        observers.forEach { $0.trainerDidFinish(outcome) }
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

    private func elapsed() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
