import Foundation

/// Drives a model through epochs with the options of a `TrainingConfiguration`,
/// whatever its family: the `TrainingProcedure` runs the model's passes, the
/// trainer does the rest (optimizer, schedule, clipping, early stopping,
/// budgets, seeded streams, divergence, checkpoints) and reports every step and
/// epoch to its observers.
///
/// After each epoch of updates the validation and test metrics are computed,
/// the schedule and early stopping are updated. `Trainer` (sequence models) and
/// `Seq2SeqTrainer` (encoder–decoders) are this trainer with their family's procedure.
public final class ModelTrainer<Procedure: TrainingProcedure> {
    public typealias T = Procedure.T
    public typealias Checkpoint = TrainingCheckpoint
    /// The family's part of training.
    public let procedure: Procedure
    public let configuration: TrainingConfiguration
    public var model: Procedure.Model { procedure.model }
    public var optimizer: Optimizer<T> { session.optimizer }
    public var streams: RandomStreams { session.loop.streams }
    public var scheduler: LearningRateScheduler { session.loop.scheduler }
    public var earlyStopping: EarlyStopping { session.loop.earlyStopping }
    private let session: TrainingSession<T>

    /// Creates a trainer and initialises the procedure's model from the run's initialisation stream.
    public init(_ procedure: Procedure, configuration: TrainingConfiguration) throws {
        self.procedure = procedure
        self.configuration = configuration
        self.session = try TrainingSession(configuration: configuration, parameters: procedure.parameters)
        procedure.initializeParameters(random: &session.loop.streams.initialization)
    }

    /// Adds an observer of steps, epochs and the outcome.
    public func addObserver(_ observer: TrainingObserver) {
        session.loop.observers.append(observer)
    }

    /// The trainer's state now (call it from `trainerDidFinishEpoch` for an epoch-boundary checkpoint).
    public func checkpoint() -> Checkpoint {
        session.loop.checkpoint(optimizerStepCount: session.optimizer.stepCount)
    }

    /// Continues from a checkpoint: the next `run()` starts with the epoch after
    /// it. Restore the parameters and the optimizer's state tensors as well.
    public func restore(_ checkpoint: Checkpoint) {
        session.loop.restore(checkpoint)
        session.optimizer.restore(stepCount: checkpoint.optimizerStepCount)
    }

    /// Trains until the epoch budget, the step budget, early stopping or divergence; with `limit`, stops
    /// after that epoch at the latest (`rnnlab verify --epochs`: the first epochs of a run, exactly as the
    /// whole run computes them).
    @discardableResult
    public func run(throughEpoch limit: Int? = nil) -> RunOutcome {
        guard let remaining = session.loop.begin() else { return finish() }
        for epoch in remaining {
            if let limit, epoch > limit { break }
            session.beginEpoch(epoch)
            procedure.trainEpoch(epoch, in: session)
            if session.isDiverged { break }
            let validationMetrics = evaluate(.validation), testMetrics = evaluate(.test)
            let record = session.loop.endEpoch(epoch, trainingLoss: session.trainingLoss,
                                               validationMetrics: validationMetrics, testMetrics: testMetrics)
            session.loop.notify(record)
            if !session.loop.continues { break }
        }
        return finish()
    }

    /// The task's metrics over a split with the model as it is now.
    public func evaluate(_ split: EvaluationSplit) -> [String: Double] {
        procedure.evaluate(split)
    }

    private func finish() -> RunOutcome {
        let outcome = session.loop.finish()
        session.loop.notify(outcome)
        return outcome
    }
}

/// Everything needed to continue training exactly where it stopped, apart
/// from the parameter values and the optimizer's state tensors (which the
/// caller saves from the model's parameters and `optimizer.state`).
public struct TrainingCheckpoint: Codable, Equatable, Sendable {
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
    /// Input tokens trained on up to this checkpoint (nil in checkpoints written before it was recorded).
    public var tokenCount: Int? = nil
}
