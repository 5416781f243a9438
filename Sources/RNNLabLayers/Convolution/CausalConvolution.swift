import RNNLabNumerics

/// A dilated causal 1-D convolution over time-major sequences, optionally weight-normalised: PyTorch's
/// `nn.Conv1d(in, out, k, padding=(k − 1)·d, dilation=d)` followed by chomping the last (k − 1)·d steps
/// (Bai et al. 2018), wrapped in `torch.nn.utils.weight_norm` when `weightNormalized`.
///
/// Shapes: x [T, B, C] → y [T, B, C′]. With weight normalisation the parameters are `weight_g` [C′, 1, 1],
/// `weight_v` [C′, C, k] and `bias` [C′], and the kernel is w = g ⊙ v / ‖v‖ (one norm per output channel over
/// C·k); otherwise `weight` [C′, C, k] and `bias` [C′]. Tap j reads the input (k − 1 − j)·d steps back:
///
///     y[t] = b + Σ_j W_j x[t − (k − 1 − j)·d]      (x before time 0 is zero),  W_j = w[:, :, j] [C′, C]
public final class CausalConvolution<T: Scalar>: ParameterOwner {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let dilation: Int
    public let weightNormalized: Bool
    public let parameters: [Parameter<T>]
    /// `weight_v` (weight-normalised) or `weight` [C′, C, k].
    public let direction: Parameter<T>
    /// `weight_g` [C′, 1, 1] (weight-normalised only).
    public let magnitude: Parameter<T>?
    public let bias: Parameter<T>

    /// The output of the last forward pass [T, B, C′], reused across calls.
    public let output = Tensor<T>(shape: [0])
    /// The input gradient of the last backward pass [T, B, C], reused across calls.
    public let inputGradient = Tensor<T>(shape: [0])
    private let taps = Tensor<T>(shape: [0])          // [k, C′, C]: W_j for each tap j
    private let tapGradient = Tensor<T>(shape: [0])   // [k, C′, C]
    private var norms: [Double] = []                   // ‖v_o‖ per output channel
    private var input: Tensor<T>?

    /// Creates the convolution; parameters are named `prefix.weight_g`, `prefix.weight_v`, `prefix.bias`
    /// (or `prefix.weight`, `prefix.bias` without weight normalisation).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, dilation: Int = 1,
                weightNormalized: Bool = true, name prefix: String = "") {
        precondition(kernelSize >= 1 && dilation >= 1, "kernel size and dilation must be at least 1")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.dilation = dilation
        self.weightNormalized = weightNormalized
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        bias = Parameter(name: "\(dot)bias", shape: [outputChannels])
        if weightNormalized {
            let g = Parameter<T>(name: "\(dot)weight_g", shape: [outputChannels, 1, 1])
            direction = Parameter(name: "\(dot)weight_v", shape: [outputChannels, inputChannels, kernelSize])
            magnitude = g
            parameters = [bias, g, direction]   // PyTorch's state_dict order: bias, weight_g, weight_v
        } else {
            direction = Parameter(name: "\(dot)weight", shape: [outputChannels, inputChannels, kernelSize])
            magnitude = nil
            parameters = [direction, bias]
        }
        norms = [Double](repeating: 1, count: outputChannels)
    }

    /// How many steps back the output at t reads: (k − 1)·d.
    public var reach: Int { (kernelSize - 1) * dilation }

    /// Sets g = ‖v‖ per output channel, so that the initial kernel is v (PyTorch's `weight_norm` at creation).
    public func resetMagnitudeToNorm() {
        guard let magnitude else { return }
        let per = inputChannels * kernelSize
        for o in 0..<outputChannels {
            magnitude.value[o] = T(Kernels.l2Norm(direction.value.data + o * per, count: per))
        }
    }

    // forward: w = g ⊙ v/‖v‖ repacked per tap into W_j [C′, C];
    //          y[t·B.., C′] = b + Σ_j x[(t − s_j)·B.., C] · W_jᵀ,  s_j = (k − 1 − j)·d
    /// Computes y for x [T, B, C]; keeps a reference to `x` for `backward`.
    @discardableResult
    public func forward(_ x: Tensor<T>) -> Tensor<T> {
        let (C, O, k) = (inputChannels, outputChannels, kernelSize)
        let steps = x.shape[0], rows = x.count / C / max(steps, 1)
        input = x
        taps.reshape([k, O, C])
        let per = C * k
        for o in 0..<O {
            let v = direction.value.data + o * per
            var scale = T(1)
            if let magnitude {
                norms[o] = Kernels.l2Norm(v, count: per)
                scale = magnitude.value[o] / T(norms[o])
            }
            for c in 0..<C { for j in 0..<k { taps[(j * O + o) * C + c] = scale * v[c * k + j] } }
        }
        output.reshape([steps, rows, O])
        Kernels.broadcastRows(bias.value.data, to: output.data, rows: steps * rows, cols: O, ld: O)
        for j in 0..<k {
            let shift = (k - 1 - j) * dilation
            guard shift < steps else { continue }
            let m = (steps - shift) * rows
            T.gemm(transA: false, transB: true, m: m, n: O, k: C, alpha: 1, a: x.data, lda: C,
                   b: taps.data + j * O * C, ldb: C, beta: 1, c: output.data + shift * rows * O, ldc: O)
        }
        return output
    }

    // backward: ∂b += Σ dy;  ∂W_j += dy[s_j..]ᵀ · x[..T−s_j];  dx[..T−s_j] += dy[s_j..] · W_j;
    //           then w = g v/‖v‖:  ∂g_o = ∂w_o · v_o/‖v_o‖,  ∂v_o += (g_o/‖v_o‖)(∂w_o − (∂g_o/‖v_o‖) v_o)
    /// Accumulates the parameter gradients for dy [T, B, C′] and returns dx [T, B, C].
    @discardableResult
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        guard let x = input else { preconditionFailure("CausalConvolution.backward called before forward") }
        let (C, O, k) = (inputChannels, outputChannels, kernelSize)
        let steps = x.shape[0], rows = x.count / C / max(steps, 1)
        Kernels.addColumnSums(dy.data, rows: steps * rows, cols: O, ld: O, into: bias.gradient.data)
        tapGradient.reshape([k, O, C])
        tapGradient.zero()
        inputGradient.reshape([steps, rows, C])
        inputGradient.zero()
        for j in 0..<k {
            let shift = (k - 1 - j) * dilation
            guard shift < steps else { continue }
            let m = (steps - shift) * rows
            let dyShifted = dy.data + shift * rows * O
            T.gemm(transA: true, transB: false, m: O, n: C, k: m, alpha: 1, a: dyShifted, lda: O, b: x.data, ldb: C,
                   beta: 1, c: tapGradient.data + j * O * C, ldc: C)
            T.gemm(transA: false, transB: false, m: m, n: C, k: O, alpha: 1, a: dyShifted, lda: O,
                   b: taps.data + j * O * C, ldb: C, beta: 1, c: inputGradient.data, ldc: C)
        }
        let per = C * k
        for o in 0..<O {
            let v = direction.value.data + o * per, dv = direction.gradient.data + o * per
            guard let magnitude else {
                for c in 0..<C { for j in 0..<k { dv[c * k + j] += tapGradient[(j * O + o) * C + c] } }
                continue
            }
            let norm = T(norms[o]), g = magnitude.value[o]
            var dg = T(0)
            for c in 0..<C { for j in 0..<k { dg += tapGradient[(j * O + o) * C + c] * v[c * k + j] } }
            dg /= norm
            magnitude.gradient[o] += dg
            for c in 0..<C {
                for j in 0..<k {
                    dv[c * k + j] += g / norm * (tapGradient[(j * O + o) * C + c] - dg / norm * v[c * k + j])
                }
            }
        }
        return inputGradient
    }
}
