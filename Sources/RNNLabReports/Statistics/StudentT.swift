import Foundation

/// Student's t distribution: its cumulative distribution function (through the regularized incomplete beta
/// function, evaluated by the continued fraction of Numerical Recipes, §6.4) and its quantiles (by bisection).
public enum StudentT {
    /// P(T ≤ t) for `df` degrees of freedom (df > 0, not necessarily an integer).
    public static func cdf(_ t: Double, df: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let tail = 0.5 * regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The two-sided p-value of `t`: P(|T| ≥ |t|).
    public static func twoSidedP(_ t: Double, df: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        return min(1, regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5))
    }

    /// The `probability` quantile (0 < probability < 1): the t with cdf(t) = probability, to about 1e-12.
    public static func quantile(_ probability: Double, df: Double) -> Double {
        guard probability > 0, probability < 1 else { return probability >= 1 ? .infinity : -.infinity }
        if probability < 0.5 { return -quantile(1 - probability, df: df) }
        var low = 0.0, high = 1.0
        while cdf(high, df: df) < probability { high *= 2 }
        for _ in 0..<200 where high - low > 1e-13 * max(1, high) {
            let middle = (low + high) / 2
            if cdf(middle, df: df) < probability { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// I_x(a, b), the regularized incomplete beta function, for 0 ≤ x ≤ 1 and a, b > 0.
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logBeta + logPowers
        let front = exp(logFront)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) { return front * betaContinuedFraction(x: x, a: a, b: b) / a }
        return 1 - front * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction for I_x(a, b) by the modified Lentz method (Numerical Recipes `betacf`).
    static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-15
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0, d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}
