import Foundation

/// A two-sided t-test of the difference of two arms' means, with a confidence interval of the difference:
/// Welch's two-sample test (unequal variances, Welch–Satterthwaite degrees of freedom), or the paired t-test of
/// the per-seed differences where the two arms' runs are paired by seed (`ExperimentReport.pairing`).
public struct DifferenceTest: Sendable {
    /// Which test was used.
    public enum Method: Sendable, Equatable {
        /// Welch's two-sample t-test.
        case welch
        /// The paired t-test over this many seeds both arms ran.
        case paired(pairs: Int)
    }

    public var method: Method
    /// mean(a) − mean(b), in the metric's units.
    public var difference: Double
    /// The standard error of the difference: sqrt(s_a²/n_a + s_b²/n_b) (Welch), s_d/√n (paired).
    public var standardError: Double
    /// The degrees of freedom: Welch–Satterthwaite's, or n − 1 pairs.
    public var degreesOfFreedom: Double
    /// The two-sided p-value.
    public var p: Double
    /// The confidence interval of the difference at `confidence`.
    public var interval: (low: Double, high: Double)
    /// The confidence level of `interval` (0.95 unless asked otherwise).
    public var confidence: Double

    /// Welch's test of `a` against `b`; nil when either has fewer than 2 values (no variance, so no test).
    public static func welch(_ a: [Double], _ b: [Double], confidence: Double = 0.95) -> DifferenceTest? {
        guard a.count >= 2, b.count >= 2, let sa = SeedStatistics.meanAndStd(a), let sb = SeedStatistics.meanAndStd(b) else { return nil }
        let va = sa.std * sa.std / Double(a.count), vb = sb.std * sb.std / Double(b.count)
        let difference = sa.mean - sb.mean, standardError = (va + vb).squareRoot()
        let denominator = va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1)
        // With no spread in either arm the Welch–Satterthwaite formula is 0/0; fall back to the pooled df.
        let df = denominator > 0 ? (va + vb) * (va + vb) / denominator : Double(a.count + b.count - 2)
        return make(.welch, difference: difference, standardError: standardError, df: df, confidence: confidence)
    }

    /// The paired t-test of `a` against `b`, where `a[i]` and `b[i]` come from runs of the same seed: a one-sample
    /// t-test of the differences a[i] − b[i] against 0, with n − 1 degrees of freedom; nil for fewer than 2 pairs.
    public static func paired(_ a: [Double], _ b: [Double], confidence: Double = 0.95) -> DifferenceTest? {
        guard a.count == b.count, a.count >= 2, let d = SeedStatistics.meanAndStd(zip(a, b).map { $0 - $1 }) else { return nil }
        let standardError = d.std / Double(a.count).squareRoot()
        return make(.paired(pairs: a.count), difference: d.mean, standardError: standardError, df: Double(a.count - 1), confidence: confidence)
    }

    private static func make(_ method: Method, difference: Double, standardError: Double, df: Double, confidence: Double) -> DifferenceTest {
        let p: Double
        if standardError > 0 {
            p = StudentT.twoSidedP(difference / standardError, df: df)
        } else {
            p = difference == 0 ? 1 : 0
        }
        let half = StudentT.quantile(1 - (1 - confidence) / 2, df: df) * standardError
        return DifferenceTest(method: method, difference: difference, standardError: standardError, degreesOfFreedom: df, p: p,
                              interval: (difference - half, difference + half), confidence: confidence)
    }

    /// The test's name as a report states it: "Welch's t-test" or "paired t-test over 3 seeds".
    public var name: String {
        switch method {
        case .welch: return "Welch's t-test"
        case .paired(let pairs): return "paired t-test over \(pairs) seeds"
        }
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

    /// The MDD of the paired test over `n` pairs whose differences have standard deviation `std`:
    /// (t_{1−α/2, n−1} + t_{power, n−1}) · std / √n; nil for n < 2.
    public static func paired(differenceStd std: Double, n: Int, alpha: Double = 0.05, power: Double = 0.8) -> Double? {
        guard n >= 2 else { return nil }
        let df = Double(n - 1)
        return (StudentT.quantile(1 - alpha / 2, df: df) + StudentT.quantile(power, df: df)) * std / Double(n).squareRoot()
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
