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
    public var streams: RandomStreams { loop.streams }
    public var scheduler: LearningRateScheduler { loop.scheduler }
    public var earlyStopping: EarlyStopping { loop.earlyStopping }
    private var loop: TrainingLoop
    private let trainingBatches: (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch]
    private let evaluate: (EncoderDecoder<T>, EvaluationSplit) -> [String: Double]

    /// Creates a trainer and initialises the model's parameters (PyTorch's
    /// defaults, `EncoderDecoder.resetParameters`) from the run's initialisation stream.
    public init(model: EncoderDecoder<T>, configuration: TrainingConfiguration,
                trainingBatches: @escaping (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch],
                evaluate: @escaping (EncoderDecoder<T>, EvaluationSplit) -> [String: Double]) throws {
        guard configuration.truncation == .full else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models train with full back-propagation (truncation: full)")
        }
        guard configuration.lossReduction == nil else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models train on the mean loss (no training.loss_reduction)")
        }
        guard configuration.initialization == .pytorch else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models use PyTorch's default initialisation (no training.init)")
        }
        self.model = model
        self.configuration = configuration
        self.trainingBatches = trainingBatches
        self.evaluate = evaluate
        self.loop = try TrainingLoop(configuration: configuration)
        self.optimizer = Optimizer(configuration.optimizer, parameters: model.parameters)
        model.resetParameters(random: &loop.streams.initialization)
    }

    public func addObserver(_ observer: TrainingObserver) { loop.observers.append(observer) }

    /// The trainer's state now, in `Trainer`'s checkpoint format (stored the same way in run files).
    public func checkpoint() -> Trainer<T>.Checkpoint {
        loop.checkpoint(optimizerStepCount: optimizer.stepCount)
    }

    /// Continues from a checkpoint (restore the parameters and optimizer tensors as well).
    public func restore(_ checkpoint: Trainer<T>.Checkpoint) {
        loop.restore(checkpoint)
        optimizer.restore(stepCount: checkpoint.optimizerStepCount)
    }

    /// Trains until the epoch budget, the step budget, early stopping or divergence.
    @discardableResult
    public func run() -> RunOutcome {
        guard let remaining = loop.begin() else { return finish() }
        epochs: for epoch in remaining {
            loop.scheduler.beginEpoch(epoch)
            var lossSum = 0.0, lossCount = 0
            for batch in trainingBatches(epoch, &loop.streams.dataOrder) {
                let loss = model.forward(batch, training: true, random: &loop.streams.dropout)
                let (total, count) = model.lastLossSum
                model.zeroGradients()
                model.backward()
                let norms = configuration.clipping.apply(to: model.parameters)
                let record = loop.step(epoch: epoch, loss: loss, norms: norms)
                loop.notify(record)
                if loop.isDiverged { break epochs }
                optimizer.step(learningRate: loop.scheduler.rate)
                lossSum += total
                lossCount += count
                if loop.stepBudgetSpent { break }
            }
            let trainingLoss = lossCount > 0 ? lossSum / Double(lossCount) : .nan
            let validationMetrics = evaluate(model, .validation), testMetrics = evaluate(model, .test)
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
}
