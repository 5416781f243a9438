/// Everything about how a model is trained, as plain data (decoded from the
/// experiment files' `training:` section).
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The maximum number of epochs.
    public var epochs: Int
    /// Stop after this many parameter updates, if set.
    public var maxSteps: Int?
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

    public init(epochs: Int, maxSteps: Int? = nil, optimizer: OptimizerConfiguration,
                schedule: LearningRateSchedule = .constant, clipping: GradientClipping = .none,
                truncation: TruncationStyle = .full, initialization: InitializationScheme = .pytorch,
                earlyStoppingPatience: Int? = nil, seed: UInt64, wallClockSeconds: Double? = nil) {
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.optimizer = optimizer
        self.schedule = schedule
        self.clipping = clipping
        self.truncation = truncation
        self.initialization = initialization
        self.earlyStoppingPatience = earlyStoppingPatience
        self.seed = seed
        self.wallClockSeconds = wallClockSeconds
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
