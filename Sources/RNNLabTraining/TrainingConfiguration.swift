/// How the gradient of a segment's per-step losses is normalised.
public enum LossReduction: String, CaseIterable, Codable, Equatable, Sendable {
    /// The mean over every counted target (time steps and rows): the default.
    case mean
    /// The mean over the batch rows, summed over the segment's time steps, as in
    /// Zaremba et al.'s code (its gradient is the mean's times the number of steps).
    /// Reported losses stay means per target.
    case sumOverSteps = "sum_over_steps"
}

/// Everything about how a model is trained, as plain data (decoded from the
/// experiment files' `training:` section).
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The maximum number of epochs.
    public var epochs: Int
    /// Stop after this many parameter updates, if set.
    public var maxSteps: Int?
    /// Stop after the update that reaches this many input tokens (time steps × batch rows), if set.
    public var maxTokens: Int?
    public var optimizer: OptimizerConfiguration
    public var schedule: LearningRateSchedule
    public var clipping: GradientClipping
    public var truncation: TruncationStyle
    public var initialization: InitializationScheme
    /// Stop when the validation metric has not improved for this many epochs.
    public var earlyStoppingPatience: Int?
    /// The run's seed; every random stream derives from it.
    public var seed: UInt64
    /// Stop after the first epoch that ends past this many seconds of training
    /// (a budget; unlike the others it depends on the machine's speed).
    public var wallClockSeconds: Double?
    /// How the per-step losses' gradient is normalised; nil means `.mean`
    /// (kept nil then, so that configurations without it keep their run ids).
    public var lossReduction: LossReduction?

    /// The defaults of the settings an experiment file or `rnnlab train` may leave out.
    public static let defaultSchedule = LearningRateSchedule.constant
    public static let defaultClipping = GradientClipping.none
    public static let defaultTruncation = TruncationStyle.full
    public static let defaultInitialization = InitializationScheme.pytorch

    public init(epochs: Int, maxSteps: Int? = nil, optimizer: OptimizerConfiguration,
                schedule: LearningRateSchedule = defaultSchedule, clipping: GradientClipping = defaultClipping,
                truncation: TruncationStyle = defaultTruncation, initialization: InitializationScheme = defaultInitialization,
                earlyStoppingPatience: Int? = nil, seed: UInt64, wallClockSeconds: Double? = nil,
                lossReduction: LossReduction? = nil, maxTokens: Int? = nil) {
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.maxTokens = maxTokens
        self.optimizer = optimizer
        self.schedule = schedule
        self.clipping = clipping
        self.truncation = truncation
        self.initialization = initialization
        self.earlyStoppingPatience = earlyStoppingPatience
        self.seed = seed
        self.wallClockSeconds = wallClockSeconds
        self.lossReduction = lossReduction == .mean ? nil : lossReduction
    }
}

/// A configuration the trainer cannot run, with the reason.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid training configuration: \(reason)"
        }
    }
}
