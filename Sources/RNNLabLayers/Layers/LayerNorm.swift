import RNNLabNumerics

/// Layer normalisation over the last dimension, as PyTorch's `nn.LayerNorm(W, eps=1e-5)`.
///
/// Shapes: x [N, W] → y [N, W]; `weight` (γ) [W], `bias` (β) [W].
///
///     μ = mean(x),  σ = √(var(x) + ε) (biased variance),  x̂ = (x − μ)/σ,  y = γ ⊙ x̂ + β
public final class LayerNorm<T: Scalar>: ParameterOwner {
    public let width: Int
    public let epsilon: Double
    public let weight: Parameter<T>
    public let bias: Parameter<T>
    public var parameters: [Parameter<T>] { [weight, bias] }
    /// The output of the last forward pass [N, W].
    public let output = Tensor<T>(shape: [0])
    /// The input gradient of the last backward pass [N, W].
    public let inputGradient = Tensor<T>(shape: [0])
    private let normalized = Tensor<T>(shape: [0])   // x̂ [N, W]
    private var inverseDeviation: [T] = []           // 1/σ per row

    public init(width: Int, epsilon: Double = 1e-5, name prefix: String) {
        self.width = width
        self.epsilon = epsilon
        weight = Parameter(name: "\(prefix).weight", shape: [width])
        bias = Parameter(name: "\(prefix).bias", shape: [width])
    }

    /// γ = 1, β = 0 (PyTorch's initialisation).
    public func reset() {
        weight.value.fill(with: 1)
        bias.value.zero()
    }

    // forward: per row, x̂ = (x − μ)/σ, y = γ ⊙ x̂ + β
    @discardableResult
    public func forward(_ x: Tensor<T>) -> Tensor<T> {
        let W = width, rows = x.count / W
        output.reshape([rows, W])
        normalized.reshape([rows, W])
        if inverseDeviation.count < rows { inverseDeviation = [T](repeating: 0, count: rows) }
        for r in 0..<rows {
            let xr = x.data + r * W, nr = normalized.data + r * W, yr = output.data + r * W
            var mean = T(0)
            for j in 0..<W { mean += xr[j] }
            mean /= T(W)
            var variance = T(0)
            for j in 0..<W { variance += (xr[j] - mean) * (xr[j] - mean) }
            let inverse = 1 / (variance / T(W) + T(epsilon)).squareRoot()
            inverseDeviation[r] = inverse
            for j in 0..<W {
                nr[j] = (xr[j] - mean) * inverse
                yr[j] = weight.value[j] * nr[j] + bias.value[j]
            }
        }
        return output
    }

    // backward: ∂γ += Σ dy ⊙ x̂, ∂β += Σ dy;  g = dy ⊙ γ,  dx = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))
    @discardableResult
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        let W = width, rows = dy.count / W
        inputGradient.reshape([rows, W])
        for r in 0..<rows {
            let dyr = dy.data + r * W, nr = normalized.data + r * W, dxr = inputGradient.data + r * W
            var meanG = T(0), meanGX = T(0)
            for j in 0..<W {
                weight.gradient[j] += dyr[j] * nr[j]
                bias.gradient[j] += dyr[j]
                let g = dyr[j] * weight.value[j]
                meanG += g
                meanGX += g * nr[j]
            }
            meanG /= T(W)
            meanGX /= T(W)
            for j in 0..<W { dxr[j] = inverseDeviation[r] * (dyr[j] * weight.value[j] - meanG - nr[j] * meanGX) }
        }
        return inputGradient
    }
}
