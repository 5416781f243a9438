import Foundation

/// Welch's two-sample t-test (unequal variances, two-sided) of the difference of two arms' means, with the
/// Welch–Satterthwaite degrees of freedom and a confidence interval of the difference.
public struct WelchTest: Sendable {
    /// mean(a) − mean(b), in the metric's units.
    public var difference: Double
    /// The standard error of the difference, sqrt(s_a²/n_a + s_b²/n_b).
    public var standardError: Double
    /// The Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double
    /// The two-sided p-value.
    public var p: Double
    /// The confidence interval of the difference at `confidence`.
    public var interval: (low: Double, high: Double)
    /// The confidence level of `interval` (0.95 unless asked otherwise).
    public var confidence: Double

    /// The test of `a` against `b`; nil when either has fewer than 2 values (no variance, so no test).
    public static func compare(_ a: [Double], _ b: [Double], confidence: Double = 0.95) -> WelchTest? {
        guard a.count >= 2, b.count >= 2, let sa = SeedStatistics.meanAndStd(a), let sb = SeedStatistics.meanAndStd(b) else { return nil }
        let va = sa.std * sa.std / Double(a.count), vb = sb.std * sb.std / Double(b.count)
        let difference = sa.mean - sb.mean, standardError = (va + vb).squareRoot()
        let denominator = va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1)
        // With no spread in either arm the Welch–Satterthwaite formula is 0/0; fall back to the pooled df.
        let df = denominator > 0 ? (va + vb) * (va + vb) / denominator : Double(a.count + b.count - 2)
        let p: Double
        if standardError > 0 {
            p = StudentT.twoSidedP(difference / standardError, df: df)
        } else {
            p = difference == 0 ? 1 : 0
        }
        let half = StudentT.quantile(1 - (1 - confidence) / 2, df: df) * standardError
        return WelchTest(difference: difference, standardError: standardError, degreesOfFreedom: df, p: p,
                         interval: (difference - half, difference + half), confidence: confidence)
    }
}

/// The minimum detectable difference of a two-sided test at level `alpha` with the given power, for two arms of
/// `n` runs each with (pooled) standard deviation `std`: (t_{1−α/2, df} + t_{power, df}) · std · sqrt(2/n),
/// df = 2n − 2. Nil for n < 2.
public enum MinimumDetectableDifference {
    /// The MDD for two arms of `n` runs each with standard deviation `std`; nil for n < 2.
    public static func value(std: Double, n: Int, alpha: Double = 0.05, power: Double = 0.8) -> Double? {
        guard n >= 2 else { return nil }
        let df = Double(2 * n - 2)
        return (StudentT.quantile(1 - alpha / 2, df: df) + StudentT.quantile(power, df: df)) * std * (2 / Double(n)).squareRoot()
    }

    /// The pooled standard deviation of several samples (each with at least 2 values): sqrt(Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1)).
    public static func pooledStd(_ samples: [[Double]]) -> Double? {
        var sum = 0.0, dof = 0
        for sample in samples where sample.count >= 2 {
            guard let s = SeedStatistics.meanAndStd(sample) else { continue }
            sum += Double(sample.count - 1) * s.std * s.std
            dof += sample.count - 1
        }
        return dof > 0 ? (sum / Double(dof)).squareRoot() : nil
    }
}
