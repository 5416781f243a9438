/// The "exploded" outcome: a run that finished with finite numbers but whose loss grew without bound (it
/// never reached inf or nan, so it is not diverged), e.g. an unclipped tanh RNN at 187 bits per character.
///
/// Rule: a complete run is exploded when its test value of the experiment's primary metric, at its best
/// validation epoch, is not finite or is more than `factor` times worse than the task's trivial baseline on
/// the test split: above `factor` × baseline where lower is better, below baseline / `factor` where higher is
/// better. A run that is merely worse than the baseline (an RNN that forecasts worse than "last value") is not
/// exploded: it is a result, and stays in the mean. Reports count exploded runs in their own column beside
/// `diverged` and leave them out of the arm's mean and standard deviation.
public enum ExplodedRun {
    /// How many times worse than the trivial baseline a run must end to count as exploded.
    public static let factor = 2.0

    /// Whether a run with this primary-metric `value` exploded against the trivial `baseline`.
    public static func isExploded(_ value: Double, baseline: Double, lowerIsBetter: Bool) -> Bool {
        guard value.isFinite else { return true }
        guard baseline.isFinite, baseline > 0 else { return false }
        return lowerIsBetter ? value > factor * baseline : value < baseline / factor
    }
}
