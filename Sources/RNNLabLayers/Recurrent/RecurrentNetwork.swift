import RNNLabNumerics

/// The shape of a recurrent network, PyTorch's `nn.RNN/LSTM/GRU` arguments.
public struct RecurrentConfiguration: Codable, Equatable, Sendable {
    /// The cell type.
    public var cell: CellKind
    /// Features per input step.
    public var inputSize: Int
    /// Units per layer and direction (H).
    public var hiddenSize: Int
    /// Stacked layers; layer k > 0 reads layer k − 1's output.
    public var layers: Int
    /// Whether each layer also runs a reverse sweep, its outputs concatenated per step.
    public var bidirectional: Bool
    /// Dropout probability on the outputs of every layer but the last (training only).
    public var dropout: Double
    /// IndRNN's recurrent-weight constraint (Li et al. 2018): after every update each
    /// |u_j| is clamped to at most this value (e.g. 2^(1/T) for ReLU); nil for none.
    /// Ignored by cells without a diagonal recurrence.
    public var recurrentMax: Double?

    public init(cell: CellKind, inputSize: Int, hiddenSize: Int, layers: Int = 1,
                bidirectional: Bool = false, dropout: Double = 0, recurrentMax: Double? = nil) {
        self.recurrentMax = recurrentMax
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.dropout = dropout
    }

    /// 2 for bidirectional networks, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }
}

/// A stack of recurrent layers, the equivalent of PyTorch's `nn.RNN`,
/// `nn.LSTM` and `nn.GRU` with `batch_first=False`.
///
/// Shapes (T steps, B rows, I inputs, H units, L layers, D directions):
///   input           [T, B, I]
///   output          [T, B, D·H]    the last layer's hidden states, directions
///                                  concatenated; zero at padded steps
///   finalHidden     [L·D, B, H]    h_n, row k·D + d for layer k, direction d
///   finalCell       [L·D, B, H]    c_n (LSTM)
///
/// Parameters are named and shaped like PyTorch's `state_dict`
/// (`weight_ih_l0`, `bias_hh_l1_reverse`, …), in the same order.
///
/// The network keeps the activations of its last forward pass for `backward`,
/// in buffers reused from call to call: the returned tensors are overwritten by
/// the next call.
public final class RecurrentNetwork<T: Scalar>: ParameterOwner {
    public let configuration: RecurrentConfiguration
    public let parameters: [Parameter<T>]
    private let sweeps: [[Sweep<T>]]                  // [layer][direction]
    private let dropouts: [Dropout<T>]                // after layers 0..<L−1

    private var layerOutputs: [Tensor<T>]             // [T, B, D·H] per layer: a view of the sweep's states
                                                      // (one direction, no padding), else its owned copy:
    private let ownedLayerOutputs: [Tensor<T>]        // every direction's states, padded steps zeroed
    private var layerInputGradients: [Tensor<T>]      // ∂L/∂(input of layer k) for k ≥ 1
    private var input: Tensor<T>?
    private var lengths: [Int]?
    private var oneHotIndices: [Int32]?
    private var wasTraining = false

    /// h_n of the last forward pass [L·D, B, H].
    public let finalHidden = Tensor<T>(shape: [0])
    /// c_n of the last forward pass [L·D, B, H] (LSTM only).
    public let finalCell = Tensor<T>(shape: [0])
    /// ∂L/∂input of the last backward pass [T, B, I].
    public let inputGradient = Tensor<T>(shape: [0])
    /// ∂L/∂h0 of the last backward pass [L·D, B, H].
    public let initialHiddenGradient = Tensor<T>(shape: [0])
    /// ∂L/∂c0 of the last backward pass [L·D, B, H] (LSTM only).
    public let initialCellGradient = Tensor<T>(shape: [0])

    /// Creates a network with zero parameters; call `resetParameters(random:)`
    /// or load values before use. Parameter names get `prefix.` in front when
    /// `prefix` is not empty (e.g. "rnn").
    public init(_ configuration: RecurrentConfiguration, name prefix: String = "") {
        precondition(configuration.layers >= 1, "a recurrent network needs at least one layer")
        precondition(configuration.inputSize >= 1 && configuration.hiddenSize >= 1, "sizes must be positive")
        self.configuration = configuration
        let D = configuration.directions
        var sweeps: [[Sweep<T>]] = []
        for layer in 0..<configuration.layers {
            let inputSize = layer == 0 ? configuration.inputSize : D * configuration.hiddenSize
            sweeps.append((0..<D).map { direction in
                Sweep(cell: configuration.cell, inputSize: inputSize, hiddenSize: configuration.hiddenSize,
                      layer: layer, reversed: direction == 1)
            })
        }
        self.sweeps = sweeps
        self.parameters = sweeps.flatMap { layer in layer.flatMap { $0.parameters } }.map { $0.prefixed(prefix) }
        self.dropouts = (0..<(configuration.layers - 1)).map { _ in Dropout(probability: configuration.dropout) }
        self.ownedLayerOutputs = (0..<configuration.layers).map { _ in Tensor(shape: [0]) }
        self.layerOutputs = ownedLayerOutputs
        self.layerInputGradients = (0..<configuration.layers).map { _ in Tensor(shape: [0]) }
    }

    /// PyTorch's default initialisation: every parameter from U(−1/√H, 1/√H).
    public func resetParameters(random: inout RandomStream) {
        let bound = 1 / Double(configuration.hiddenSize).squareRoot()
        for parameter in parameters {
            for i in 0..<parameter.value.count { parameter.value[i] = T(random.uniform(-bound, bound)) }
        }
    }

    /// How minGRU and minLSTM layers run over a sequence (ignored by other cells):
    /// `.automatic` scans sequences in parallel and takes single steps sequentially.
    public var scanMode: ScanMode = .automatic {
        didSet { for case .scan(let sweep) in sweeps.joined() { sweep.mode = scanMode } }
    }

    /// Applies the configuration's constraints on the weights (IndRNN's `recurrentMax`);
    /// trainers call it after every update. Nothing for other cells or without a constraint.
    public func constrainWeights() {
        guard let limit = configuration.recurrentMax, configuration.cell.recurrence == .diagonal else { return }
        for sweep in sweeps.joined() { sweep.constrainRecurrentWeights(maxMagnitude: limit) }
    }

    /// The output of the last forward pass [T, B, D·H].
    public var output: Tensor<T> { layerOutputs[configuration.layers - 1] }

    /// The scalars the recurrent layers keep in their own tensors after the last
    /// forward and backward passes: the activations backward needs, the layer
    /// outputs and gradients between layers, and the per-step workspaces (not the
    /// parameters, the packed recurrent weights, dropout masks, or the network's
    /// final and initial state tensors). Layer outputs of one direction without
    /// padding are the sweeps' own states, not copies.
    public var storedElementCount: Int {
        sweeps.joined().reduce(0) { $0 + $1.storedElementCount }
            + ownedLayerOutputs.reduce(0) { $0 + $1.count } + layerInputGradients.reduce(0) { $0 + $1.count }
    }

    // MARK: Forward

    /// Runs the network over `input` [T, B, I].
    ///
    /// - Parameters:
    ///   - lengths: the number of real steps of each of the B rows (0...T); nil
    ///     when every row has T steps. Padded steps leave the state unchanged
    ///     and output zeros, so a padded batch gives each row exactly the
    ///     results it would give alone.
    ///   - initialHidden, initialCell: h0 and c0 [L·D, B, H]; zeros when nil.
    ///   - training: applies dropout between layers, drawing from `random`.
    /// - Returns: `output` [T, B, D·H].
    @discardableResult
    public func forward(
        _ input: Tensor<T>, lengths: [Int]? = nil,
        initialHidden: Tensor<T>? = nil, initialCell: Tensor<T>? = nil,
        training: Bool = false, random: inout RandomStream
    ) -> Tensor<T> {
        forward(input, oneHotIndices: nil, lengths: lengths, initialHidden: initialHidden, initialCell: initialCell,
                training: training, random: &random)
    }

    /// Runs the network over `input` [T, B, I] whose rows are one-hot vectors:
    /// row n is 1 in column `oneHotIndices[n]` and 0 elsewhere (a negative
    /// index: all zeros), which `input` must hold as well. The first layer
    /// then gathers columns of its input weights instead of multiplying by
    /// `input` (the same sums), and accumulates their gradient by scatter-add.
    /// nil is the general `forward`.
    @discardableResult
    public func forward(
        _ input: Tensor<T>, oneHotIndices: [Int32]?, lengths: [Int]? = nil,
        initialHidden: Tensor<T>? = nil, initialCell: Tensor<T>? = nil,
        training: Bool = false, random: inout RandomStream
    ) -> Tensor<T> {
        let config = configuration
        if let oneHotIndices {
            precondition(oneHotIndices.count == input.count / max(config.inputSize, 1),
                         "one-hot indices must give one column per input row")
        }
        self.oneHotIndices = oneHotIndices
        precondition(input.shape.count == 3 && input.shape[2] == config.inputSize,
                     "RecurrentNetwork expects input [T, B, \(config.inputSize)], got \(input.shape)")
        let (steps, batch) = (input.shape[0], input.shape[1])
        let H = config.hiddenSize, D = config.directions, block = batch * H
        if let lengths {
            precondition(lengths.count == batch && lengths.allSatisfy { $0 >= 0 && $0 <= steps },
                         "lengths must give 0...\(steps) for each of the \(batch) rows")
        }
        for state in [initialHidden, initialCell].compactMap({ $0 }) {
            precondition(state.count == config.layers * D * block,
                         "initial state must be [\(config.layers * D), \(batch), \(H)], got \(state.shape)")
        }
        self.input = input
        self.lengths = lengths
        self.wasTraining = training
        finalHidden.reshape([config.layers * D, batch, H])
        if config.cell.hasCellState { finalCell.reshape([config.layers * D, batch, H]) }

        var layerInput = input
        for layer in 0..<config.layers {
            // One direction without padding: the output is the sweep's own states, not a copy.
            let viewsStates = D == 1 && lengths == nil
            let out = ownedLayerOutputs[layer]
            if !viewsStates { out.reshape([steps, batch, D * H]) }
            for (direction, sweep) in sweeps[layer].enumerated() {
                let index = layer * D + direction
                sweep.forward(x: layerInput.data, steps: steps, batch: batch, lengths: lengths,
                              h0: initialHidden.map { UnsafePointer($0.data + index * block) },
                              c0: initialCell.map { UnsafePointer($0.data + index * block) },
                              oneHotIndices: layer == 0 ? oneHotIndices : nil)
                // Scatter this direction's states into its columns of the output.
                for t in 0..<steps where !viewsStates {
                    let h = sweep.hiddenState(atTime: t)
                    for b in 0..<batch {
                        let destination = out.data + (t * batch + b) * D * H + direction * H
                        if let lengths, t >= lengths[b] {
                            destination.update(repeating: 0, count: H)
                        } else {
                            destination.update(from: h + b * H, count: H)
                        }
                    }
                }
                (finalHidden.data + index * block).update(from: sweep.finalHidden, count: block)
                if config.cell.hasCellState {
                    (finalCell.data + index * block).update(from: sweep.finalCell, count: block)
                }
            }
            layerOutputs[layer] = viewsStates ? sweeps[layer][0].hiddenStates : out
            if layer < config.layers - 1 {
                layerInput = config.dropout > 0
                    ? dropouts[layer].forward(layerOutputs[layer], training: training, random: &random)
                    : layerOutputs[layer]
            }
        }
        return output
    }

    /// Runs the network for evaluation (no dropout).
    @discardableResult
    public func forward(
        _ input: Tensor<T>, lengths: [Int]? = nil,
        initialHidden: Tensor<T>? = nil, initialCell: Tensor<T>? = nil
    ) -> Tensor<T> {
        var unused = RandomStream(seed: 0, stream: "evaluation")
        return forward(input, lengths: lengths, initialHidden: initialHidden, initialCell: initialCell,
                       training: false, random: &unused)
    }

    // MARK: Backward

    /// Back-propagates through the last forward pass, accumulating every
    /// parameter gradient and filling `inputGradient`, `initialHiddenGradient`
    /// and `initialCellGradient`.
    ///
    /// - Parameters:
    ///   - outputGradient: ∂L/∂output [T, B, D·H], or nil when the loss does not use it.
    ///   - finalHiddenGradient, finalCellGradient: ∂L/∂h_n, ∂L/∂c_n [L·D, B, H], or nil.
    ///   - computeInputGradient: false skips ∂L/∂input (one GEMM per direction)
    ///     when nothing below the network needs it; `inputGradient` is then stale.
    ///   - stateGradientScale: multiplies the state gradient at every step back in
    ///     time (1 for exact BPTT; see `RecurrentSweep.backward`).
    public func backward(
        outputGradient: Tensor<T>?, finalHiddenGradient: Tensor<T>? = nil, finalCellGradient: Tensor<T>? = nil,
        computeInputGradient: Bool = true, stateGradientScale: Double = 1
    ) {
        guard let input else { preconditionFailure("RecurrentNetwork.backward called before forward") }
        let config = configuration
        let (steps, batch) = (input.shape[0], input.shape[1])
        let H = config.hiddenSize, D = config.directions, block = batch * H
        inputGradient.reshape(input.shape)
        initialHiddenGradient.reshape([config.layers * D, batch, H])
        if config.cell.hasCellState { initialCellGradient.reshape([config.layers * D, batch, H]) }
        if let outputGradient {
            precondition(outputGradient.count == steps * batch * D * H, "outputGradient must be [\(steps), \(batch), \(D * H)]")
        }

        var dOutput: Tensor<T>? = outputGradient
        for layer in stride(from: config.layers - 1, through: 0, by: -1) {
            let layerInput: Tensor<T>
            if layer == 0 {
                layerInput = input
            } else {
                layerInput = config.dropout > 0 ? dropouts[layer - 1].output : layerOutputs[layer - 1]
            }
            let dInput = layer == 0 ? inputGradient : layerInputGradients[layer]
            dInput.reshape(layerInput.shape)
            for (direction, sweep) in sweeps[layer].enumerated() {
                let index = layer * D + direction
                sweep.backward(
                    x: layerInput.data,
                    outputGradient: dOutput.map { UnsafePointer($0.data + direction * H) },
                    outputStride: D * H,
                    finalHiddenGradient: finalHiddenGradient.map { UnsafePointer($0.data + index * block) },
                    finalCellGradient: config.cell.hasCellState
                        ? finalCellGradient.map { UnsafePointer($0.data + index * block) } : nil,
                    inputGradient: layer == 0 && !computeInputGradient ? nil : dInput.data,
                    accumulate: direction > 0, stateGradientScale: T(stateGradientScale))
                (initialHiddenGradient.data + index * block).update(from: sweep.initialHiddenGradient, count: block)
                if config.cell.hasCellState {
                    (initialCellGradient.data + index * block).update(from: sweep.initialCellGradient, count: block)
                }
            }
            if layer > 0 {
                // ∂L/∂(output of the layer below): this layer's input gradient, through the dropout between them.
                dOutput = config.dropout > 0 ? dropouts[layer - 1].backward(dInput) : dInput
            }
        }
    }
}
