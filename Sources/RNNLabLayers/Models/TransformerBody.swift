import RNNLabNumerics

/// A small causal Transformer (GPT-2 style, pre-LayerNorm): an input projection, learned or sinusoidal
/// positions, `layers` `TransformerBlock`s and a final LayerNorm.
///
///     z₀[t] = x[t] W_inᵀ + b_in + p[t],  z_{l+1} = block_l(z_l),  y = ln_f(z_L)
///
/// with p the learned table `wpe` or PE[t, 2i] = sin(t/10000^{2i/W}), PE[t, 2i+1] = cos(t/10000^{2i/W}); dropout
/// on z₀. Shapes: x [T, B, I] → y [T, B, W], T ≤ `context` with learned positions. Parameters:
/// `transformer.input.weight` [W, I], `transformer.input.bias` [W], `transformer.wpe.weight` [context, W]
/// (learned only), `transformer.h.{l}.…` (see `TransformerBlock`), `transformer.ln_f.weight`/`.bias` [W].
public final class TransformerBody<T: Scalar>: SequenceBody {
    public let width: Int
    public let context: Int
    public let input: Linear<T>
    public let positions: Parameter<T>?
    public let blocks: [TransformerBlock<T>]
    public let finalNorm: LayerNorm<T>
    public let parameters: [Parameter<T>]
    private let sinusoid = Tensor<T>(shape: [0])        // [max(context, T), W] when not learned
    private let embedded = Tensor<T>(shape: [0])        // z₀ [T, B, W]
    private let inputDropout: Dropout<T>
    private let inputGradientBuffer = Tensor<T>(shape: [0])

    public init(inputSize: Int, width: Int, layers: Int, heads: Int, mlpRatio: Int, context: Int, positions learned: Bool,
                dropout: Double, name prefix: String = "transformer") {
        self.width = width
        self.context = context
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        input = Linear(inputSize: inputSize, outputSize: width, name: "\(dot)input")
        positions = learned ? Parameter(name: "\(dot)wpe.weight", shape: [context, width]) : nil
        blocks = (0..<layers).map {
            TransformerBlock(width: width, heads: heads, mlpRatio: mlpRatio, dropout: dropout, name: "\(dot)h.\($0)")
        }
        finalNorm = LayerNorm(width: width, name: "\(dot)ln_f")
        parameters = input.parameters + (positions.map { [$0] } ?? []) + blocks.flatMap(\.parameters) + finalNorm.parameters
        inputDropout = Dropout(probability: dropout)
        if !learned { extendSinusoid(to: context) }
    }

    /// The limit on steps per sequence: the context with learned positions, none with sinusoidal ones.
    public var maxSteps: Int? { positions == nil ? nil : context }

    /// Fills the sinusoidal table for `steps` positions (grows only when a longer batch arrives).
    private func extendSinusoid(to steps: Int) {
        let filled = sinusoid.count / width
        guard steps > filled else { return }
        let old = sinusoid.array
        sinusoid.reshape([steps, width])
        for i in 0..<old.count { sinusoid[i] = old[i] }
        for t in filled..<steps {
            for i in 0..<width {
                let angle = Double(t) / Double.pow(10_000, Double(i - i % 2) / Double(width))
                sinusoid[t * width + i] = T(i % 2 == 0 ? Double.sin(angle) : Double.cos(angle))
            }
        }
    }

    public var outputSize: Int { width }

    /// A window of `context` steps moved by context/2: every scored step sees at least context/2 − 1 earlier steps
    /// (after the stream's first window).
    public var evaluationWindow: EvaluationWindow { EvaluationWindow(history: context / 2, stride: context - context / 2) }

    // forward: x [T, B, I] → z₀ = x W_inᵀ + b_in + p → blocks → ln_f → y [T, B, W]
    public func forward(_ x: Tensor<T>, lengths: [Int]?, training: Bool, random: inout RandomStream) -> Tensor<T> {
        let steps = x.shape[0], I = input.inputSize, rows = x.count / I / max(steps, 1), W = width
        precondition(steps <= context || positions == nil, "\(steps) steps exceed the Transformer's context of \(context)")
        if positions == nil { extendSinusoid(to: steps) }
        x.reshape([steps * rows, I])
        let projected = input.forward(x)
        x.reshape([steps, rows, I])
        embedded.reshape([steps, rows, W])
        embedded.copy(from: projected)
        for t in 0..<steps {
            let p: UnsafeMutablePointer<T>
            if let positions { p = positions.value.data + t * W } else { p = sinusoid.data + t * W }
            for b in 0..<rows { Kernels.add(p, into: embedded.data + (t * rows + b) * W, count: W) }
        }
        var z = inputDropout.forward(embedded, training: training, random: &random)
        z.reshape([steps, rows, W])
        for block in blocks { z = block.forward(z, training: training, random: &random) }
        let y = finalNorm.forward(z)
        y.reshape([steps, rows, W])
        return y
    }

    // backward: ln_fᵀ → blocks in reverse → ∂p[t] += Σ_b ∂z₀[t, b] → dx = ∂z₀ W_in
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        let shape = dy.shape, steps = shape[0], W = width, rows = dy.count / W / max(steps, 1)
        var d = finalNorm.backward(dy)
        d.reshape(shape)
        for block in blocks.reversed() { d = block.backward(d) }
        let dz = inputDropout.backward(d)
        if let positions {
            for t in 0..<steps {
                for b in 0..<rows { Kernels.add(dz.data + (t * rows + b) * W, into: positions.gradient.data + t * W, count: W) }
            }
        }
        dz.reshape([steps * rows, W])
        let dx = input.backward(dz)
        inputGradientBuffer.reshape([steps, rows, input.inputSize])
        inputGradientBuffer.copy(from: dx)
        return inputGradientBuffer
    }

    /// GPT-2's initialisation: weights N(0, 0.02²) (the residual projections N(0, (0.02/√(2L))²)), positions
    /// N(0, 0.02²), biases 0, LayerNorms γ = 1, β = 0.
    public func initialize(random: inout RandomStream) {
        func normal(_ p: Parameter<T>, _ std: Double) { for i in 0..<p.value.count { p.value[i] = T(std * random.normal()) } }
        normal(input.weight, 0.02)
        input.bias?.value.zero()
        if let positions { normal(positions, 0.02) }
        let residual = 0.02 / Double(2 * max(blocks.count, 1)).squareRoot()
        for block in blocks {
            block.norm1.reset()
            block.norm2.reset()
            normal(block.attention.inProjection.weight, 0.02)
            normal(block.attention.outProjection.weight, residual)
            normal(block.expand.weight, 0.02)
            normal(block.contract.weight, residual)
            for linear in [block.attention.inProjection, block.attention.outProjection, block.expand, block.contract] {
                linear.bias?.value.zero()
            }
        }
        finalNorm.reset()
    }
}
