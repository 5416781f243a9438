/// What one parameter update did.
public struct StepRecord: Equatable, Sendable {
    /// The update's number, from 1.
    public var step: Int
    public var epoch: Int
    /// The mean training loss of the segment.
    public var loss: Double
    /// The global L2 gradient norm before and after clipping.
    public var gradientNormBefore: Double
    public var gradientNormAfter: Double
    public var learningRate: Double
    /// Seconds since the run started.
    public var wallSeconds: Double
    /// The input tokens (time steps × batch rows, padding included; source plus target steps for
    /// sequence-to-sequence) the update was computed from; nil in run files written before it was recorded.
    public var tokens: Int?

    public init(step: Int, epoch: Int, loss: Double, gradientNormBefore: Double, gradientNormAfter: Double,
                learningRate: Double, wallSeconds: Double, tokens: Int? = nil) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.gradientNormBefore = gradientNormBefore
        self.gradientNormAfter = gradientNormAfter
        self.learningRate = learningRate
        self.wallSeconds = wallSeconds
        self.tokens = tokens
    }
}

/// What one epoch did.
public struct EpochRecord: Equatable, Sendable {
    public var epoch: Int
    /// The mean training loss over the epoch (weighted by targets).
    public var trainingLoss: Double
    public var validationLoss: Double?
    public var testLoss: Double?
    /// Every evaluation metric of the task by name (`loss` included), per split.
    public var validationMetrics: [String: Double]
    public var testMetrics: [String: Double]
    public var learningRate: Double
    public var wallSeconds: Double
    /// Whether this epoch has the best validation loss so far.
    public var isBest: Bool

    public init(epoch: Int, trainingLoss: Double, validationLoss: Double?, testLoss: Double?,
                validationMetrics: [String: Double], testMetrics: [String: Double],
                learningRate: Double, wallSeconds: Double, isBest: Bool) {
        self.epoch = epoch
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.testLoss = testLoss
        self.validationMetrics = validationMetrics
        self.testMetrics = testMetrics
        self.learningRate = learningRate
        self.wallSeconds = wallSeconds
        self.isBest = isBest
    }
}

/// How training ended.
public enum TrainingEnd: Equatable, Sendable {
    case complete
    /// A non-finite loss or gradient at the given update; every metric up to it is kept.
    case diverged(step: Int, reason: String)
}

/// The result of a run.
public struct RunOutcome: Equatable, Sendable {
    public var status: TrainingEnd
    public var epochsCompleted: Int
    public var steps: Int
    /// The epoch with the best validation loss, and the metrics at that epoch.
    public var bestEpoch: Int?
    public var bestValidationLoss: Double?
    public var testLossAtBestEpoch: Double?
    /// Every test metric at the best epoch.
    public var testMetricsAtBestEpoch: [String: Double] = [:]
    public var finalTrainingLoss: Double?
}

/// Listens to a run: the HDF5 store and the progress display are observers.
public protocol TrainingObserver: AnyObject {
    func trainerDidFinishStep(_ record: StepRecord)
    func trainerDidFinishEpoch(_ record: EpochRecord)
    func trainerDidFinish(_ outcome: RunOutcome)
    /// Whether the observer asks the trainer to stop after the epoch it was just told of (the run
    /// store does when that epoch's checkpoint could not be written); read after every epoch.
    var requestsStop: Bool { get }
}

extension TrainingObserver {
    public var requestsStop: Bool { false }
    public func trainerDidFinishStep(_ record: StepRecord) {}
    public func trainerDidFinishEpoch(_ record: EpochRecord) {}
    public func trainerDidFinish(_ outcome: RunOutcome) {}
}

/// An observer that keeps every record in memory (tests, small runs).
public final class RecordingObserver: TrainingObserver {
    public private(set) var steps: [StepRecord] = []
    public private(set) var epochs: [EpochRecord] = []
    public private(set) var outcome: RunOutcome?

    public init() {}
    public func trainerDidFinishStep(_ record: StepRecord) { steps.append(record) }
    public func trainerDidFinishEpoch(_ record: EpochRecord) { epochs.append(record) }
    public func trainerDidFinish(_ outcome: RunOutcome) { self.outcome = outcome }
}
