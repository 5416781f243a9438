import RNNLabLayers
import RNNLabNumerics

/// What one model family's training supplies to `ModelTrainer`: its model and
/// trained parameters, the initialisation of a fresh model, one epoch of
/// updates, and the metrics of a split.
///
/// The trainer owns everything the families share (the optimizer, clipping,
/// the step and epoch bookkeeping, the random streams, schedule, early
/// stopping, budgets, divergence, observers and checkpoints); a procedure only
/// runs its model's forward and backward passes and hands each update to its
/// `TrainingSession`.
public protocol TrainingProcedure: AnyObject {
    associatedtype T: Scalar
    associatedtype Model: AnyObject
    /// The model being trained.
    var model: Model { get }
    /// Every trained parameter, in `state_dict` order (the optimizer's and the run file's order).
    var parameters: [Parameter<T>] { get }
    /// Initialises a fresh model's parameters from the run's initialisation stream.
    func initializeParameters(random: inout RandomStream)
    /// One epoch of updates: for each, a forward and backward pass leaving the gradients in `parameters`,
    /// then `session.update`; stops as soon as `update` returns false.
    func trainEpoch(_ epoch: Int, in session: TrainingSession<T>)
    /// The task's metrics over `split` (they must include `loss`, which drives early stopping and the
    /// schedule); empty when the split has nothing to evaluate.
    func evaluate(_ split: EvaluationSplit) -> [String: Double]
}

/// The shared part of an epoch that a `TrainingProcedure` calls for each update:
/// clipping, the step record and its observers, divergence, the optimizer step,
/// the epoch's training loss and the step budget.
public final class TrainingSession<T: Scalar> {
    var loop: TrainingLoop
    let optimizer: Optimizer<T>
    private let parameters: [Parameter<T>]
    /// The epoch being trained.
    private(set) var epoch = 0
    private var lossSum = 0.0, lossCount = 0

    init(configuration: TrainingConfiguration, parameters: [Parameter<T>]) throws {
        self.loop = try TrainingLoop(configuration: configuration)
        self.optimizer = Optimizer(configuration.optimizer, parameters: parameters)
        self.parameters = parameters
    }

    /// The run's training options.
    public var configuration: TrainingConfiguration { loop.configuration }

    /// The run's named random streams (data order, truncation, dropout, ...), for the procedure to draw from.
    public var streams: RandomStreams {
        get { loop.streams }
        set { loop.streams = newValue }
    }

    /// Whether a non-finite loss or gradient norm has ended the run: no update follows.
    public var isDiverged: Bool { loop.isDiverged }

    /// Finishes one update whose gradients are in the parameters: clips them, records and reports the
    /// step, and (unless the run diverged) takes the optimizer step and counts `lossSum` (the summed loss
    /// and its number of targets) towards the epoch's training loss; `tokens` are the update's input tokens
    /// (time steps × batch rows). Returns whether more updates may follow in this epoch: false once the run
    /// diverged or the step or token budget is spent.
    public func update(loss: Double, lossSum: (total: Double, count: Int), tokens: Int) -> Bool {
        let norms = loop.configuration.clipping.apply(to: parameters)
        let record = loop.step(epoch: epoch, loss: loss, norms: norms, tokens: tokens)
        loop.notify(record)
        if loop.isDiverged { return false }
        optimizer.step(learningRate: loop.scheduler.rate)
        self.lossSum += lossSum.total
        lossCount += lossSum.count
        return !loop.stepBudgetSpent
    }

    /// Starts an epoch: the schedule's epoch, a zero training loss.
    func beginEpoch(_ epoch: Int) {
        self.epoch = epoch
        loop.scheduler.beginEpoch(epoch)
        lossSum = 0
        lossCount = 0
    }

    /// The mean training loss of the epoch's updates (NaN without any).
    var trainingLoss: Double { lossCount > 0 ? lossSum / Double(lossCount) : .nan }
}
