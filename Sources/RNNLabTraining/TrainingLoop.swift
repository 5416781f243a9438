import Foundation

/// The bookkeeping every trainer shares, whatever its model: the step and
/// epoch counters, the named random streams, the learning-rate schedule, early
/// stopping, the test metrics at the best epoch, the budgets, divergence, and
/// the records sent to observers. A trainer runs its own forward and backward
/// passes and calls `step`, `endEpoch` and `finish` around them, then hands each
/// record to `notify` (outside the mutation, since observers read the trainer's
/// state, e.g. for a checkpoint).
struct TrainingLoop {
    let configuration: TrainingConfiguration
    var streams: RandomStreams
    var scheduler: LearningRateScheduler
    var earlyStopping: EarlyStopping
    var observers: [TrainingObserver] = []
    private(set) var stepCount = 0
    /// Input tokens of every update so far (`StepRecord.tokens`), for `training.max_tokens`.
    private(set) var tokenCount = 0
    private(set) var completedEpochs = 0
    private var testAtBest: [String: Double] = [:]
    private var start = DispatchTime.now()
    /// Seconds trained by earlier processes of this run (from the checkpoint it resumed from).
    private var earlierSeconds = 0.0
    private(set) var outcome = RunOutcome(status: .complete, epochsCompleted: 0, steps: 0)

    init(configuration: TrainingConfiguration) throws {
        guard configuration.epochs >= 1 else {
            throw TrainingError.invalidConfiguration("epochs must be at least 1, got \(configuration.epochs)")
        }
        self.configuration = configuration
        self.streams = RandomStreams(seed: configuration.seed)
        self.scheduler = LearningRateScheduler(configuration.schedule, baseRate: configuration.optimizer.learningRate)
        self.earlyStopping = EarlyStopping(patience: configuration.earlyStoppingPatience)
    }

    // MARK: Checkpoints

    func checkpoint(optimizerStepCount: Int) -> TrainingCheckpoint {
        .init(completedEpochs: completedEpochs, stepCount: stepCount, optimizerStepCount: optimizerStepCount,
              streams: streams, scheduler: scheduler, earlyStopping: earlyStopping, testAtBest: testAtBest,
              trainingSeconds: elapsed(), tokenCount: tokenCount)
    }

    mutating func restore(_ state: TrainingCheckpoint) {
        completedEpochs = state.completedEpochs
        stepCount = state.stepCount
        tokenCount = state.tokenCount ?? 0
        streams = state.streams
        scheduler = state.scheduler
        earlyStopping = state.earlyStopping
        testAtBest = state.testAtBest
        earlierSeconds = state.trainingSeconds ?? 0
    }

    // MARK: The run

    /// Starts (or resumes) a run: the epochs still to train, none when a budget is already spent.
    mutating func begin() -> ClosedRange<Int>? {
        start = DispatchTime.now()
        outcome = RunOutcome(status: .complete, epochsCompleted: completedEpochs, steps: stepCount)
        let done = completedEpochs >= configuration.epochs || earlyStopping.shouldStop || stepBudgetSpent
        return done ? nil : (completedEpochs + 1)...configuration.epochs
    }

    /// Counts one update (after clipping, before the optimizer step) and returns its record. A loss or
    /// gradient norm that is not finite marks the run diverged (`isDiverged`): no update must follow.
    mutating func step(epoch: Int, loss: Double, norms: (before: Double, after: Double), tokens: Int) -> StepRecord {
        stepCount += 1
        tokenCount += tokens
        if !loss.isFinite || !norms.before.isFinite {
            let what = !loss.isFinite ? "loss \(loss)" : "gradient norm \(norms.before)"
            outcome.status = .diverged(step: stepCount, reason: "non-finite \(what)")
        }
        return StepRecord(step: stepCount, epoch: epoch, loss: loss, gradientNormBefore: norms.before,
                          gradientNormAfter: norms.after, learningRate: scheduler.rate, wallSeconds: elapsed(), tokens: tokens)
    }

    var isDiverged: Bool {
        if case .diverged = outcome.status { return true }
        return false
    }

    /// Whether `training.max_steps` or `training.max_tokens` is reached.
    var stepBudgetSpent: Bool {
        configuration.maxSteps.map { stepCount >= $0 } == true || configuration.maxTokens.map { tokenCount >= $0 } == true
    }

    /// Ends an epoch with its mean training loss and each split's metrics (which must include `loss`):
    /// schedule, early stopping; returns the epoch record. A non-finite validation loss marks the run diverged.
    mutating func endEpoch(_ epoch: Int, trainingLoss: Double, validationMetrics: [String: Double],
                           testMetrics: [String: Double]) -> EpochRecord {
        let validation = validationMetrics["loss"], test = testMetrics["loss"]
        let isBest = validation.map { earlyStopping.record(epoch: epoch, validationMetric: $0) } ?? false
        if isBest { testAtBest = testMetrics }
        completedEpochs = epoch
        if let validation { scheduler.endEpoch(validationMetric: validation) }
        outcome.epochsCompleted = epoch
        outcome.finalTrainingLoss = trainingLoss
        if let validation, !validation.isFinite {
            outcome.status = .diverged(step: stepCount, reason: "non-finite validation loss")
        }
        return EpochRecord(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validation, testLoss: test,
                           validationMetrics: validationMetrics, testMetrics: testMetrics,
                           learningRate: scheduler.rate, wallSeconds: elapsed(), isBest: isBest)
    }

    /// Whether another epoch follows the one just ended: not diverged, not stopped early, within budgets,
    /// and no observer asks to stop.
    var continues: Bool {
        if isDiverged || earlyStopping.shouldStop { return false }
        if observers.contains(where: \.requestsStop) { return false }
        if let limit = configuration.wallClockSeconds, elapsed() >= limit { return false }
        return !stepBudgetSpent
    }

    /// Completes the outcome of the run.
    mutating func finish() -> RunOutcome {
        outcome.steps = stepCount
        outcome.bestEpoch = earlyStopping.bestEpoch
        outcome.bestValidationLoss = earlyStopping.bestMetric
        outcome.testLossAtBestEpoch = testAtBest["loss"]
        outcome.testMetricsAtBestEpoch = testAtBest
        return outcome
    }

    func notify(_ record: StepRecord) { observers.forEach { $0.trainerDidFinishStep(record) } }
    func notify(_ record: EpochRecord) { observers.forEach { $0.trainerDidFinishEpoch(record) } }
    func notify(_ outcome: RunOutcome) { observers.forEach { $0.trainerDidFinish(outcome) } }

    /// Seconds of training of this run so far, earlier processes included.
    private func elapsed() -> Double {
        earlierSeconds + Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
