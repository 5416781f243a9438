/// A metric a task reports, with its direction: what experiment files may name
/// in `report.metric`, `report.columns`, `report.success` and `reference`.
public struct MetricDefinition: Equatable, Sendable {
    /// The key in metric dictionaries, e.g. "perplexity"; for a family, the key
    /// with `N` for the number, e.g. "exact_match_len_N".
    public var name: String
    /// Whether lower values are better (loss, perplexity) or higher (accuracy).
    public var lowerIsBetter: Bool
    /// What it measures and in which unit, for reports.
    public var description: String
    /// Whether `name` stands for one key per test length N (`exact_match_len_8`, …).
    public var isPerLength: Bool

    public init(_ name: String, lowerIsBetter: Bool, _ description: String, perLength: Bool = false) {
        self.name = name
        self.lowerIsBetter = lowerIsBetter
        self.description = description
        self.isPerLength = perLength
    }

    /// Whether `key` is this metric (for a family: the prefix followed by a whole number).
    public func matches(_ key: String) -> Bool {
        guard isPerLength else { return key == name }
        let prefix = String(name.dropLast())
        guard key.hasPrefix(prefix) else { return false }
        let number = key.dropFirst(prefix.count)
        return !number.isEmpty && number.allSatisfy(\.isNumber)
    }

    /// The mean training loss of a run's last epoch (reports show it as `last-epoch train_loss`).
    public static let trainingLoss = MetricDefinition("train_loss", lowerIsBetter: true, "mean training loss of the last epoch")
    /// The share of a run's updates whose gradient the clipping rule changed (from every step).
    public static let clippedFraction = MetricDefinition("clipped_fraction", lowerIsBetter: true,
                                                         "share of updates whose gradient clipping changed")
    /// The median over a run's updates of the global gradient norm before clipping.
    public static let medianGradientNorm = MetricDefinition("median_grad_norm", lowerIsBetter: true,
                                                            "median gradient norm before clipping over the updates")
    /// The training diagnostics every task's runs have.
    public static let trainingDiagnostics = [trainingLoss, clippedFraction, medianGradientNorm]
    /// exp(`train_loss`), for language models.
    public static let trainingPerplexity = MetricDefinition("train_perplexity", lowerIsBetter: true,
                                                            "exp(mean training loss of the last epoch), language models")
}
