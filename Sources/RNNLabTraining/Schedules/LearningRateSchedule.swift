import RealModule

/// How the learning rate changes from epoch to epoch.
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// The base rate throughout.
    case constant
    /// Zaremba et al. 2014: the base rate for epochs 1...k, then multiplied by
    /// `factor` once per epoch: lr(e) = lr₀ · factor^max(0, e − k), e counted from 1.
    case stepDecay(afterEpoch: Int = Defaults.afterEpoch, factor: Double = Defaults.stepFactor)
    /// Multiply the rate by `factor` when the validation metric has not improved
    /// (by more than `threshold`, relatively) for `patience` epochs; never below `minimum`.
    case reduceOnPlateau(factor: Double = Defaults.plateauFactor, patience: Int = Defaults.patience,
                         threshold: Double = Defaults.threshold, minimum: Double = Defaults.minimum)

    /// The schedules' defaults (reduce-on-plateau: PyTorch's `ReduceLROnPlateau`).
    public enum Defaults {
        public static let afterEpoch = 1
        public static let stepFactor = 0.5
        public static let plateauFactor = 0.1
        public static let patience = 10
        public static let threshold = 1e-4
        public static let minimum = 0.0
    }
}

/// The schedule's state during a run: the current rate and, for
/// reduce-on-plateau, the best metric and the epochs since it improved.
public struct LearningRateScheduler: Codable, Equatable, Sendable {
    public let schedule: LearningRateSchedule
    public let baseRate: Double
    /// The rate for the current epoch.
    public private(set) var rate: Double
    private var best: Double?
    private var badEpochs = 0

    public init(_ schedule: LearningRateSchedule, baseRate: Double) {
        self.schedule = schedule
        self.baseRate = baseRate
        self.rate = baseRate
    }

    /// Sets the rate for epoch `epoch` (counted from 1).
    public mutating func beginEpoch(_ epoch: Int) {
        if case .stepDecay(let k, let factor) = schedule {
            rate = baseRate * Double.pow(factor, Double(max(0, epoch - k)))
        }
    }

    /// Reports the validation metric (lower is better) at the end of an epoch.
    public mutating func endEpoch(validationMetric metric: Double) {
        guard case .reduceOnPlateau(let factor, let patience, let threshold, let minimum) = schedule else { return }
        if let best, !(metric < best * (1 - threshold)) {
            badEpochs += 1
            if badEpochs > patience {
                rate = max(minimum, rate * factor)
                badEpochs = 0
            }
        } else {
            best = metric
            badEpochs = 0
        }
    }
}
