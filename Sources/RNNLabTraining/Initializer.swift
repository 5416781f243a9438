import RNNLabLayers
import RNNLabNumerics

/// A distribution for initial weights. Fans are those of one gate block
/// [H, in] of a recurrent weight (or of the whole matrix for other layers):
/// fan_in = columns, fan_out = rows.
public enum Initializer: Codable, Equatable, Sendable {
    /// PyTorch's default for the layer: U(±1/√H) for recurrent layers,
    /// U(±1/√fan_in) for `Linear`, N(0, 1) for `Embedding`.
    case pytorchDefault
    /// U(−a, a).
    case uniform(Double = Defaults.bound)
    /// N(0, σ²).
    case normal(Double = Defaults.standardDeviation)
    /// Glorot & Bengio 2010: U(±gain·√(6/(fan_in + fan_out))).
    case xavierUniform(gain: Double = Defaults.gain)
    /// Glorot & Bengio 2010: N(0, gain²·2/(fan_in + fan_out)).
    case xavierNormal(gain: Double = Defaults.gain)
    /// He et al. 2015 (ReLU gain √2): U(±√(6/fan_in)).
    case heUniform
    /// He et al. 2015: N(0, 2/fan_in).
    case heNormal
    /// Saxe et al. 2014: a (semi-)orthogonal block scaled by `gain`, per gate block.
    case orthogonal(gain: Double = Defaults.gain)
    /// `scale` × identity per gate block (IRNN, Le et al. 2015); needs square blocks.
    case identity(scale: Double = Defaults.gain)
    /// Every element equal to `value` (zero biases: `.constant(0)`).
    case constant(Double = Defaults.constant)

    /// The parameters' defaults: the bound a of `uniform`, σ of `normal`, the gain
    /// (or identity scale) and the value of `constant`.
    public enum Defaults {
        public static let bound = 0.1
        public static let standardDeviation = 0.1
        public static let gain = 1.0
        public static let constant = 0.0
    }

    /// Fills a rows×cols row-major block.
    ///
    /// - Parameter defaultBound: the bound of `.pytorchDefault` for this layer
    ///   (nil means PyTorch's N(0, 1), as for embeddings).
    public func fill<T: Scalar>(_ block: UnsafeMutablePointer<T>, rows: Int, cols: Int,
                                defaultBound: Double?, random: inout RandomStream) {
        let count = rows * cols
        let fanIn = Double(max(cols, 1)), fanOut = Double(max(rows, 1))
        func uniform(_ a: Double) { for i in 0..<count { block[i] = T(random.uniform(-a, a)) } }
        func normal(_ s: Double) { for i in 0..<count { block[i] = T(s * random.normal()) } }
        switch self {
        case .pytorchDefault:
            if let defaultBound { uniform(defaultBound) } else { normal(1) }
        case .uniform(let a): uniform(a)
        case .normal(let sigma): normal(sigma)
        case .xavierUniform(let gain): uniform(gain * (6 / (fanIn + fanOut)).squareRoot())
        case .xavierNormal(let gain): normal(gain * (2 / (fanIn + fanOut)).squareRoot())
        case .heUniform: uniform((6 / fanIn).squareRoot())
        case .heNormal: normal((2 / fanIn).squareRoot())
        case .orthogonal(let gain):
            let q = Initializer.orthogonalMatrix(rows: rows, cols: cols, random: &random)
            for i in 0..<count { block[i] = T(gain * q[i]) }
        case .identity(let scale):
            for r in 0..<rows { for c in 0..<cols { block[r * cols + c] = r == c ? T(scale) : 0 } }
        case .constant(let value):
            for i in 0..<count { block[i] = T(value) }
        }
    }

    /// A rows×cols matrix with orthonormal rows (rows ≤ cols) or columns (rows ≥ cols),
    /// from the QR decomposition of a Gaussian matrix with the signs of R's diagonal
    /// folded in, as PyTorch's `orthogonal_` (so the distribution is uniform, Haar).
    static func orthogonalMatrix(rows: Int, cols: Int, random: inout RandomStream) -> [Double] {
        // Work on the tall orientation n×k (n ≥ k) and transpose back if needed.
        let tall = rows >= cols
        let (n, k) = tall ? (rows, cols) : (cols, rows)
        var a = (0..<(n * k)).map { _ in random.normal() }   // column j is a[j*n ..< (j+1)*n]
        // Modified Gram–Schmidt on the k columns.
        for j in 0..<k {
            for p in 0..<j {
                var dot = 0.0
                for i in 0..<n { dot += a[p * n + i] * a[j * n + i] }
                for i in 0..<n { a[j * n + i] -= dot * a[p * n + i] }
            }
            var norm = 0.0
            for i in 0..<n { norm += a[j * n + i] * a[j * n + i] }
            norm = norm.squareRoot()
            for i in 0..<n { a[j * n + i] /= norm }   // R's diagonal is +norm: sign already positive
        }
        var result = [Double](repeating: 0, count: rows * cols)
        for j in 0..<k {
            for i in 0..<n {
                if tall { result[i * cols + j] = a[j * n + i] } else { result[j * cols + i] = a[j * n + i] }
            }
        }
        return result
    }
}

/// Initialisers chosen separately for each kind of parameter of a `SequenceModel`.
public struct InitializationScheme: Codable, Equatable, Sendable {
    /// `embedding.weight`.
    public var embedding: Initializer
    /// `weight_ih_l*` (per gate block).
    public var input: Initializer
    /// `weight_hh_l*` (per gate block).
    public var recurrent: Initializer
    /// `decoder.weight`.
    public var output: Initializer
    /// Every bias: `bias_ih_l*`, `bias_hh_l*`, `decoder.bias`.
    public var bias: Initializer
    /// For LSTMs: the forget-gate bias value. `bias_ih`'s f block is set to it and
    /// `bias_hh`'s f block to 0, so the effective forget bias is exactly this value.
    public var forgetGateBias: Double?

    public init(embedding: Initializer = .pytorchDefault, input: Initializer = .pytorchDefault,
                recurrent: Initializer = .pytorchDefault, output: Initializer = .pytorchDefault,
                bias: Initializer = .pytorchDefault, forgetGateBias: Double? = nil) {
        self.embedding = embedding
        self.input = input
        self.recurrent = recurrent
        self.output = output
        self.bias = bias
        self.forgetGateBias = forgetGateBias
    }

    /// PyTorch's defaults for every parameter.
    public static let pytorch = InitializationScheme()

    /// Initialises every parameter of `model`, in `state_dict` order, from `random`.
    public func apply<T>(to model: SequenceModel<T>, random: inout RandomStream) {
        let recurrent = model.configuration.recurrent
        let H = recurrent.hiddenSize
        let recurrentBound = 1 / Double(H).squareRoot()
        // The forget gate's block: i, f, g, o for the LSTM; the peephole variants' own order.
        let forgetBlock = recurrent.cell == .lstm ? 1 : recurrent.cell.lstmVariant?.forgetBlock
        if let embedding = model.embedding {
            let w = embedding.weight.value
            self.embedding.fill(w.data, rows: w.shape[0], cols: w.shape[1], defaultBound: nil, random: &random)
        }
        for parameter in model.network.parameters {
            let value = parameter.value
            let name = parameter.name
            if name.contains(".bias_") {
                bias.fill(value.data, rows: 1, cols: value.count, defaultBound: recurrentBound, random: &random)
                if let forget = forgetGateBias, let forgetBlock {
                    let f = value.data + forgetBlock * H
                    for j in 0..<H { f[j] = name.contains(".bias_ih_") ? T(forget) : 0 }
                }
            } else if value.shape.count == 1 {
                // A diagonal weight (IndRNN's u, the peepholes), initialised as the diagonal of a
                // recurrent matrix: identity(scale) gives scale everywhere, the others fill one [1, H] row.
                if case .identity(let scale) = self.recurrent {
                    for j in 0..<value.count { value[j] = T(scale) }
                } else {
                    self.recurrent.fill(value.data, rows: 1, cols: value.count, defaultBound: recurrentBound, random: &random)
                }
            } else {
                let initializer = name.contains(".weight_ih_") ? input : self.recurrent
                let cols = value.shape[1]
                for gate in 0..<(value.shape[0] / H) {   // fans and orthogonality per gate block [H, cols]
                    initializer.fill(value.data + gate * H * cols, rows: H, cols: cols,
                                     defaultBound: recurrentBound, random: &random)
                }
            }
        }
        // The attention-pooling readout (only when present, so other models draw exactly as before).
        if let pooling = model.pooling {
            for parameter in pooling.parameters {
                let value = parameter.value
                let cols = value.shape.count > 1 ? value.shape[1] : pooling.inputSize
                let bound = 1 / Double(cols).squareRoot()
                let initializer = parameter.name.hasSuffix(".bias") ? bias : output
                initializer.fill(value.data, rows: value.count / cols, cols: cols, defaultBound: bound, random: &random)
            }
        }
        let decoder = model.decoder
        let linearBound = 1 / Double(decoder.inputSize).squareRoot()
        output.fill(decoder.weight.value.data, rows: decoder.outputSize, cols: decoder.inputSize,
                    defaultBound: linearBound, random: &random)
        if let b = decoder.bias {
            bias.fill(b.value.data, rows: 1, cols: b.value.count, defaultBound: linearBound, random: &random)
        }
    }
}
