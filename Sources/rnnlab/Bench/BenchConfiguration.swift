import RNNLabLayers

/// The benchmark's model shapes (see the training-speed issue and `docs/performance.md`).
struct BenchConfiguration: Sendable {
    enum Input: Sendable { case oneHot(Int), embedding(vocabulary: Int, dimension: Int), dense(Int) }
    enum Head: Sendable { case softmaxPerStep(Int), sigmoidPerStep(Int), softmaxOnFinalState(Int) }

    let name: String
    let input: Input
    let hidden: Int
    let layers: Int
    let bidirectional: Bool
    let batch: Int
    let steps: Int
    let head: Head

    static let all: [BenchConfiguration] = [
        BenchConfiguration(name: "charlm-small", input: .oneHot(65), hidden: 128, layers: 1, bidirectional: false,
                           batch: 32, steps: 64, head: .softmaxPerStep(65)),
        BenchConfiguration(name: "charlm-medium", input: .oneHot(65), hidden: 512, layers: 2, bidirectional: false,
                           batch: 64, steps: 128, head: .softmaxPerStep(65)),
        BenchConfiguration(name: "ptb-small", input: .embedding(vocabulary: 10_000, dimension: 200), hidden: 200,
                           layers: 2, bidirectional: false, batch: 20, steps: 20, head: .softmaxPerStep(10_000)),
        BenchConfiguration(name: "music", input: .dense(88), hidden: 256, layers: 1, bidirectional: false,
                           batch: 16, steps: 100, head: .sigmoidPerStep(88)),
        BenchConfiguration(name: "sentiment", input: .embedding(vocabulary: 20_000, dimension: 128), hidden: 128,
                           layers: 1, bidirectional: true, batch: 64, steps: 100, head: .softmaxOnFinalState(2)),
    ]

    /// The scan table (`rnnlab bench --scan`): one-hot characters, 256 units, batch 8, sequence length
    /// T = 64 … 4096, for minGRU/minLSTM (parallel scan) against GRU/LSTM (one step at a time).
    static let scan: [BenchConfiguration] = [64, 256, 1024, 4096].map { steps in
        BenchConfiguration(name: "scan-t\(steps)", input: .oneHot(65), hidden: 256, layers: 1, bidirectional: false,
                           batch: 8, steps: steps, head: .softmaxPerStep(65))
    }

    /// The cells of the scan table.
    static let scanCells: [CellKind] = [.gru, .minGRU, .lstm, .minLSTM]

    /// Every configuration a name may select.
    static var known: [BenchConfiguration] { all + scan }

    var inputFeatures: Int {
        switch input {
        case .oneHot(let n), .dense(let n): n
        case .embedding(_, let dimension): dimension
        }
    }

    /// GEMM floating-point operations of one forward (+ backward) pass of any benchmark model (2 per multiply-add;
    /// the backward pass of a TCN or Transformer counted as twice its forward GEMMs).
    func gemmFlops(kind: BenchModelKind, includeBackward: Bool) -> Double {
        let N = Double(batch * steps), W = Double(hidden), I = Double(inputFeatures)
        var body: Double
        switch kind {
        case .recurrent(let cell): return gemmFlops(cell: cell, includeBackward: includeBackward)
        case .tcn:
            let k = Double(BenchModelKind.tcnKernelSize)
            body = 0
            for level in 0..<BenchModelKind.tcnLevels {
                let input = level == 0 ? I : W
                body += 2 * N * W * input * k + 2 * N * W * W * k + (input != W ? 2 * N * W * input : 0)
            }
        case .transformer:
            let r = Double(BenchModelKind.transformerMLPRatio), T = Double(steps)
            body = 2 * N * I * W + Double(layers) * (2 * N * (4 + 2 * r) * W * W + 4 * Double(batch) * T * T * W)
        }
        let classes: Double, rows: Double
        switch head {
        case .softmaxPerStep(let v), .sigmoidPerStep(let v): (classes, rows) = (Double(v), N)
        case .softmaxOnFinalState(let c): (classes, rows) = (Double(c), Double(batch))
        }
        let forward = body + 2 * rows * W * classes
        return includeBackward ? 3 * forward : forward
    }

    /// GEMM floating-point operations of one forward + backward pass (2 per multiply-add).
    func gemmFlops(cell: CellKind, includeBackward: Bool) -> Double {
        let G = Double(cell.gateCount), H = Double(hidden), N = Double(batch * steps)
        // The recurrent product's share: G·H·H per step for a matrix recurrence, none otherwise.
        let R = cell.recurrence == .matrix ? H : 0
        let D = Double(bidirectional ? 2 : 1)
        var forward = 0.0, backward = 0.0
        for layer in 0..<layers {
            let I = layer == 0 ? Double(inputFeatures) : D * H
            forward += D * 2 * N * G * H * (I + R)
            // ∂W_ih, ∂W_hh, ∂h_prev, and ∂x except for the first layer's one-hot/embedding input.
            let needsInputGradient = layer > 0 || { if case .dense = input { true } else { false } }()
            backward += D * 2 * N * G * H * (I + 2 * R + (needsInputGradient ? I : 0))
        }
        switch head {
        case .softmaxPerStep(let v), .sigmoidPerStep(let v):
            forward += 2 * N * D * H * Double(v)
            backward += 4 * N * D * H * Double(v)
        case .softmaxOnFinalState(let c):
            forward += 2 * Double(batch) * D * H * Double(c)
            backward += 4 * Double(batch) * D * H * Double(c)
        }
        return includeBackward ? forward + backward : forward
    }
}
