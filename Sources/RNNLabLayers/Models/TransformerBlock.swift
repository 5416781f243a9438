import RNNLabNumerics

/// One pre-LayerNorm Transformer block (GPT-2): masked self-attention and a GELU MLP, each on a normalised
/// copy of the residual stream and added back through dropout.
///
///     h = x + drop(attn(ln_1(x))),  y = h + drop(c_proj(gelu(c_fc(ln_2(h)))))
///
/// GELU is the exact form, gelu(u) = u Φ(u) = ½u(1 + erf(u/√2)), gelu′(u) = Φ(u) + u φ(u).
/// Shapes: x [T, B, W] → y [T, B, W]. Parameters under `prefix.`: `ln_1.weight`/`.bias` [W], `attn.c_attn.weight`
/// [3W, W], `attn.c_attn.bias` [3W], `attn.c_proj.weight` [W, W], `attn.c_proj.bias` [W], `ln_2.weight`/`.bias`,
/// `mlp.c_fc.weight` [rW, W], `mlp.c_fc.bias` [rW], `mlp.c_proj.weight` [W, rW], `mlp.c_proj.bias` [W].
public final class TransformerBlock<T: Scalar>: ParameterOwner {
    public let norm1: LayerNorm<T>
    public let attention: CausalSelfAttention<T>
    public let norm2: LayerNorm<T>
    public let expand: Linear<T>
    public let contract: Linear<T>
    public let parameters: [Parameter<T>]
    /// The output of the last forward pass [T, B, W].
    public let output = Tensor<T>(shape: [0])
    /// The input gradient of the last backward pass [T, B, W].
    public let inputGradient = Tensor<T>(shape: [0])
    private let attentionDropout: Dropout<T>
    private let mlpDropout: Dropout<T>
    private let hidden = Tensor<T>(shape: [0])        // h [T·B, W]
    private let preActivation = Tensor<T>(shape: [0]) // u = c_fc(ln_2(h)) [T·B, rW]
    private let activated = Tensor<T>(shape: [0])     // gelu(u) [T·B, rW]
    private let hiddenGradient = Tensor<T>(shape: [0])

    public init(width: Int, heads: Int, mlpRatio: Int, dropout: Double, name prefix: String) {
        norm1 = LayerNorm(width: width, name: "\(prefix).ln_1")
        attention = CausalSelfAttention(width: width, heads: heads, name: "\(prefix).attn")
        norm2 = LayerNorm(width: width, name: "\(prefix).ln_2")
        expand = Linear(inputSize: width, outputSize: mlpRatio * width, name: "\(prefix).mlp.c_fc")
        contract = Linear(inputSize: mlpRatio * width, outputSize: width, name: "\(prefix).mlp.c_proj")
        parameters = norm1.parameters + attention.parameters + norm2.parameters + expand.parameters + contract.parameters
        attentionDropout = Dropout(probability: dropout)
        mlpDropout = Dropout(probability: dropout)
    }

    // forward: x [T, B, W] → h → y [T, B, W] (equations above)
    @discardableResult
    public func forward(_ x: Tensor<T>, training: Bool, random: inout RandomStream) -> Tensor<T> {
        let shape = x.shape, W = norm1.width
        let normalized = norm1.forward(x)
        normalized.reshape(shape)   // [T, B, W]: the attention mixes steps within each row
        let a = attention.forward(normalized)
        a.reshape(shape)
        let da = attentionDropout.forward(a, training: training, random: &random)
        hidden.reshape([x.count / W, W])
        for i in 0..<x.count { hidden.data[i] = x.data[i] + da.data[i] }
        let u = expand.forward(norm2.forward(hidden))
        preActivation.reshape(u.shape)
        preActivation.copy(from: u)
        activated.reshape(u.shape)
        for i in 0..<u.count {
            let z = u.data[i]
            activated.data[i] = z * (1 + T.erf(z / T(2).squareRoot())) / 2
        }
        let m = mlpDropout.forward(contract.forward(activated), training: training, random: &random)
        output.reshape(shape)
        for i in 0..<output.count { output.data[i] = hidden.data[i] + m.data[i] }
        return output
    }

    // backward: ∂h = dy + ln_2ᵀ(c_fcᵀ(gelu′(u) ⊙ c_projᵀ(drop(dy))));  dx = ∂h + ln_1ᵀ(attnᵀ(drop(∂h)))
    @discardableResult
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        let shape = dy.shape, W = norm1.width, rows = dy.count / W
        dy.reshape([rows, W])
        let du = contract.backward(mlpDropout.backward(dy))
        let invRoot2Pi = 1 / (2 * T.pi).squareRoot()
        for i in 0..<du.count {
            let z = preActivation.data[i]
            let cdf = (1 + T.erf(z / T(2).squareRoot())) / 2
            du.data[i] *= cdf + z * invRoot2Pi * T.exp(-z * z / 2)
        }
        let dn2 = norm2.backward(expand.backward(du))
        hiddenGradient.reshape([rows, W])
        for i in 0..<dy.count { hiddenGradient.data[i] = dy.data[i] + dn2.data[i] }
        dy.reshape(shape)
        let dAttention = attentionDropout.backward(hiddenGradient)
        dAttention.reshape(shape)
        let dn1 = norm1.backward(attention.backward(dAttention))
        inputGradient.reshape(shape)
        for i in 0..<inputGradient.count { inputGradient.data[i] = hiddenGradient.data[i] + dn1.data[i] }
        return inputGradient
    }
}
