import Foundation

/// Drives an `EncoderDecoder` through epochs of teacher-forced batches with the
/// options of a `TrainingConfiguration` (optimizer, schedule, clipping, early
/// stopping, budgets, seeded streams), reporting to the same observers as `Trainer`.
///
/// One epoch: for each training batch, a teacher-forced forward pass, back-
/// propagation through decoder, attention, bridge and encoder, clipping over the
/// model's one parameter list, and one optimizer update. After the epoch, the
/// task's `evaluate` closure gives each split's metrics (it must include `loss`,
/// which drives early stopping and the schedule, as for `Trainer`).
public final class Seq2SeqTrainer<T: Scalar> {
    public let model: EncoderDecoder<T>
    public let configuration: TrainingConfiguration
    public let optimizer: Optimizer<T>
    public private(set) var streams: RandomStreams
    public private(set) var scheduler: LearningRateScheduler
    public private(set) var earlyStopping: EarlyStopping
    private let trainingBatches: (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch]
    private let evaluate: (EncoderDecoder<T>, EvaluationSplit) -> [String: Double]
    private var observers: [TrainingObserver] = []
    private var stepCount = 0
    private var completedEpochs = 0
    private var testAtBest: [String: Double] = [:]
    private var start = DispatchTime.now()

    /// Creates a trainer and initialises the model's parameters (PyTorch's
    /// defaults, `EncoderDecoder.resetParameters`) from the run's initialisation stream.
    public init(model: EncoderDecoder<T>, configuration: TrainingConfiguration,
                trainingBatches: @escaping (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch],
                evaluate: @escaping (EncoderDecoder<T>, EvaluationSplit) -> [String: Double]) throws {
        guard configuration.truncation == .full else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models train with full back-propagation (truncation: full)")
        }
        guard configuration.initialization == .pytorch else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models use PyTorch's default initialisation (no training.init)")
        }
        guard configuration.epochs >= 1 else {
            throw TrainingError.invalidConfiguration("epochs must be at least 1, got \(configuration.epochs)")
        }
        self.model = model
        self.configuration = configuration
        self.trainingBatches = trainingBatches
        self.evaluate = evaluate
        self.streams = RandomStreams(seed: configuration.seed)
        self.optimizer = Optimizer(configuration.optimizer, parameters: model.parameters)
        self.scheduler = LearningRateScheduler(configuration.schedule, baseRate: configuration.optimizer.learningRate)
        self.earlyStopping = EarlyStopping(patience: configuration.earlyStoppingPatience)
        model.resetParameters(random: &streams.initialization)
    }

    public func addObserver(_ observer: TrainingObserver) { observers.append(observer) }

    /// The trainer's state now, in `Trainer`'s checkpoint format (stored the same way in run files).
    public func checkpoint() -> Trainer<T>.Checkpoint {
        Trainer<T>.Checkpoint(completedEpochs: completedEpochs, stepCount: stepCount, optimizerStepCount: optimizer.stepCount,
                              streams: streams, scheduler: scheduler, earlyStopping: earlyStopping, testAtBest: testAtBest)
    }

    /// Continues from a checkpoint (restore the parameters and optimizer tensors as well).
    public func restore(_ checkpoint: Trainer<T>.Checkpoint) {
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
            var lossSum = 0.0, lossCount = 0
            for batch in trainingBatches(epoch, &streams.dataOrder) {
                let loss = model.forward(batch, training: true, random: &streams.dropout)
                let (total, count) = model.lastLossSum
                model.zeroGradients()
                model.backward()
                let norms = configuration.clipping.apply(to: model.parameters)
                stepCount += 1
                let record = StepRecord(step: stepCount, epoch: epoch, loss: loss, gradientNormBefore: norms.before,
                                        gradientNormAfter: norms.after, learningRate: scheduler.rate, wallSeconds: elapsed())
                observers.forEach { $0.trainerDidFinishStep(record) }
                if !loss.isFinite || !norms.before.isFinite {
                    let what = !loss.isFinite ? "loss \(loss)" : "gradient norm \(norms.before)"
                    outcome.status = .diverged(step: stepCount, reason: "non-finite \(what)")
                    break epochs
                }
                optimizer.step(learningRate: scheduler.rate)
                lossSum += total
                lossCount += count
                if let maxSteps = configuration.maxSteps, stepCount >= maxSteps { break }
            }
            let validationMetrics = evaluate(model, .validation), testMetrics = evaluate(model, .test)
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

    private func elapsed() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
