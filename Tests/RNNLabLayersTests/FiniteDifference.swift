import RNNLabLayers
import RNNLabNumerics
import XCTest

/// Finite-difference checks for any module: a loss closure, a closure that fills
/// the analytic gradients, and the (value, gradient) tensors to compare.
enum FiniteDifference {
    /// The largest relative error between analytic and numeric gradients over every
    /// scalar of `differentiables` (fourth-order central stencil, as `RecurrentProbe`),
    /// with a description of the worst entry. `backward` must refill every gradient.
    static func maxRelativeError(
        _ differentiables: [(name: String, value: Tensor<Double>, gradient: Tensor<Double>)],
        loss: () -> Double, backward: () -> Void, step h: Double = 1e-4, floor: Double = 1e-5
    ) -> (error: Double, worst: String) {
        backward()
        let analytic = differentiables.map { $0.gradient.array }
        var worst = (error: 0.0, worst: "none")
        for (index, entry) in differentiables.enumerated() {
            for i in 0..<entry.value.count {
                let saved = entry.value[i]
                func at(_ offset: Double) -> Double {
                    entry.value[i] = saved + offset
                    return loss()
                }
                let numeric = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h)
                entry.value[i] = saved
                let a = analytic[index][i]
                let error = abs(a - numeric) / max(abs(a), abs(numeric), floor)
                if error > worst.error { worst = (error, "\(entry.name)[\(i)] analytic \(a) numeric \(numeric)") }
            }
        }
        return worst
    }

    static func randomTensor(_ shape: [Int], _ random: inout RandomStream, scale: Double = 1) -> Tensor<Double> {
        let t = Tensor<Double>(shape: shape)
        for i in 0..<t.count { t[i] = random.uniform(-scale, scale) }
        return t
    }

    static func randomize(_ parameters: [Parameter<Double>], _ random: inout RandomStream, scale: Double = 0.7) {
        for p in parameters { for i in 0..<p.value.count { p.value[i] = random.uniform(-scale, scale) } }
    }
}
