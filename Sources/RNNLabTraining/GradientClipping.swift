import RNNLabLayers
import RNNLabNumerics

/// How gradients are clipped before each update. The three clipping modes are
/// distinct operations, never aliases of one another.
public enum GradientClipping: Codable, Equatable, Sendable {
    /// No clipping.
    case none
    /// Rescale all gradients together: g ← g · min(1, θ / ‖g‖), ‖g‖ the L2 norm
    /// over every parameter (PyTorch's `clip_grad_norm_`).
    case globalNorm(Double)
    /// Rescale each parameter's gradient by its own norm: gₚ ← gₚ · min(1, θ / ‖gₚ‖).
    case perTensorNorm(Double)
    /// Clamp every element to [−c, c] (PyTorch's `clip_grad_value_`).
    case value(Double)

    /// The global L2 norm of the gradients of `parameters`, accumulated in Double.
    public static func globalNorm<T>(of parameters: [Parameter<T>]) -> Double {
        var sum = 0.0
        for p in parameters {
            let norm = Kernels.l2Norm(p.gradient.data, count: p.gradient.count)
            sum += norm * norm
        }
        return sum.squareRoot()
    }

    /// Clips the gradients in place; returns the global norm before and after.
    @discardableResult
    public func apply<T>(to parameters: [Parameter<T>]) -> (before: Double, after: Double) {
        let before = GradientClipping.globalNorm(of: parameters)
        switch self {
        case .none:
            return (before, before)
        case .globalNorm(let threshold):
            // A non-finite norm is left alone so that divergence is reported, not hidden.
            guard before.isFinite, before > threshold else { return (before, before) }
            let scale = T(threshold / before)
            for p in parameters { p.scaleGradient(by: scale) }
        case .perTensorNorm(let threshold):
            for p in parameters {
                let norm = Kernels.l2Norm(p.gradient.data, count: p.gradient.count)
                guard norm.isFinite, norm > threshold else { continue }
                p.scaleGradient(by: T(threshold / norm))
            }
        case .value(let limit):
            let c = T(limit)
            for p in parameters {
                let g = p.gradient.data
                for i in 0..<p.gradient.count { g[i] = min(max(g[i], -c), c) }
            }
        }
        return (before, GradientClipping.globalNorm(of: parameters))
    }
}
