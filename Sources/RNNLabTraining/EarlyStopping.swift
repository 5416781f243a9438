/// Tracks the best epoch by the validation metric (lower is better) and says
/// when to stop.
public struct EarlyStopping: Codable, Equatable, Sendable {
    /// Stop after this many epochs without improvement; nil never stops early.
    public let patience: Int?
    /// The best validation metric so far.
    public private(set) var bestMetric: Double?
    /// The epoch (from 1) of the best validation metric.
    public private(set) var bestEpoch: Int?
    private var epochsWithoutImprovement = 0

    public init(patience: Int?) {
        self.patience = patience
    }

    /// Records an epoch's validation metric; returns true when it is the new best.
    @discardableResult
    public mutating func record(epoch: Int, validationMetric metric: Double) -> Bool {
        if metric.isFinite, bestMetric.map({ metric < $0 }) ?? true {
            bestMetric = metric
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    /// Whether training should stop now.
    public var shouldStop: Bool {
        guard let patience else { return false }
        return epochsWithoutImprovement >= patience
    }
}
