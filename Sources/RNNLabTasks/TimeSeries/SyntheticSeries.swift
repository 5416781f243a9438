import RNNLabNumerics
import RealModule

/// Generated time series for forecasting experiments.
public enum SyntheticSeries {
    /// sin(2πt/period) + N(0, noise²), t = 0..<length.
    public static func noisySine(length: Int, period: Double = 50, noise: Double = 0.1, seed: UInt64 = 0) -> [Double] {
        var random = RandomStream(seed: seed, stream: "noisy-sine")
        return (0..<length).map { Double.sin(2 * Double.pi * Double($0) / period) + noise * random.normal() }
    }

    /// The Mackey–Glass delay equation dx/dt = β·x(t−τ)/(1 + x(t−τ)ⁿ) − γ·x(t)
    /// with β = 0.2, γ = 0.1, n = 10 and τ = 17 (chaotic), integrated with
    /// Euler steps of 0.1 from x = 1.2 and sampled every `sampling` time units;
    /// the first 500 time units are discarded as transient.
    public static func mackeyGlass(length: Int, tau: Int = 17, sampling: Int = 1) -> [Double] {
        let dt = 0.1, perUnit = 10
        let delay = tau * perUnit, transient = 500 * perUnit
        let total = transient + length * sampling * perUnit
        var x = [Double](repeating: 1.2, count: total + 1)
        for i in 0..<total {
            let lagged = i >= delay ? x[i - delay] : 1.2
            x[i + 1] = x[i] + dt * (0.2 * lagged / (1 + Double.pow(lagged, 10)) - 0.1 * x[i])
        }
        return (0..<length).map { x[transient + $0 * sampling * perUnit] }
    }
}
