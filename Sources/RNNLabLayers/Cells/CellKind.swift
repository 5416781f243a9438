/// The recurrent cell types (equations in `docs/models.md`).
///
/// The classic cells follow PyTorch's `nn.RNN`, `nn.LSTM` and `nn.GRU`; the others
/// have no PyTorch module and are checked against plain-PyTorch references.
public enum CellKind: String, CaseIterable, Codable, Sendable {
    /// Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
    case rnnTanh = "rnn_tanh"
    /// Elman RNN with ReLU, h' = relu(W_ih x + b_ih + W_hh h + b_hh).
    case rnnRelu = "rnn_relu"
    /// LSTM with gate blocks i, f, g, o.
    case lstm
    /// GRU with gate blocks r, z, n.
    case gru
    /// IndRNN (Li et al. 2018) with ReLU: h' = relu(W_ih x + b_ih + u ⊙ h).
    case indRNN = "indrnn"
    /// IndRNN with tanh: h' = tanh(W_ih x + b_ih + u ⊙ h).
    case indRNNTanh = "indrnn_tanh"
    /// The peephole LSTM Greff et al. (2017) call vanilla: peepholes, forget gate, output activation.
    case lstmPeephole = "lstm_peephole"
    /// Greff et al.'s NIG: no input gate (i = 1).
    case lstmNIG = "lstm_nig"
    /// NFG: no forget gate (f = 1).
    case lstmNFG = "lstm_nfg"
    /// NOG: no output gate (o = 1).
    case lstmNOG = "lstm_nog"
    /// NIAF: no input activation function (g linear).
    case lstmNIAF = "lstm_niaf"
    /// NOAF: no output activation function (h = o ⊙ c).
    case lstmNOAF = "lstm_noaf"
    /// NP: no peepholes.
    case lstmNP = "lstm_np"
    /// CIFG: coupled input and forget gate (f = 1 − i).
    case lstmCIFG = "lstm_cifg"
    /// FGR: full gate recurrence (the gates also read the previous step's gate activations).
    case lstmFGR = "lstm_fgr"
    /// minGRU (Feng et al. 2024): gates from the input only, trained with a parallel scan.
    case minGRU = "min_gru"
    /// minLSTM (Feng et al. 2024): normalised forget and input gates from the input only, parallel scan.
    case minLSTM = "min_lstm"

    /// How the previous state enters a step.
    public enum Recurrence: Sendable {
        /// A full matrix W_hh [G·H, H] (and b_hh): one GEMM per step.
        case matrix
        /// A vector u [H], element-wise (IndRNN).
        case diagonal
        /// Not through weights at all: h' = a ⊙ h + b with a, b from the input (the scan cells).
        case none
    }

    /// The number of gate blocks G: `weight_ih` is G·H rows tall.
    public var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnRelu, .indRNN, .indRNNTanh: 1
        case .lstm: 4
        case .gru: 3
        case .minGRU: 2
        case .minLSTM: 3
        default: lstmVariant?.gateCount ?? 4
        }
    }

    /// How the previous state enters a step (which decides the sweep that runs the cell).
    public var recurrence: Recurrence {
        switch self {
        case .indRNN, .indRNNTanh: .diagonal
        case .minGRU, .minLSTM: .none
        default: .matrix
        }
    }

    /// Whether the cell carries a cell state c beside h.
    public var hasCellState: Bool { self == .lstm || lstmVariant != nil }

    /// The variant of Greff et al.'s peephole LSTM, for the `lstm_peephole` family; nil otherwise.
    public var lstmVariant: LSTMVariant? {
        switch self {
        case .lstmPeephole: .vanilla
        case .lstmNIG: .noInputGate
        case .lstmNFG: .noForgetGate
        case .lstmNOG: .noOutputGate
        case .lstmNIAF: .noInputActivation
        case .lstmNOAF: .noOutputActivation
        case .lstmNP: .noPeepholes
        case .lstmCIFG: .coupledGates
        case .lstmFGR: .fullGateRecurrence
        default: nil
        }
    }

    /// The three cells of PyTorch's `nn.RNN`, `nn.LSTM`, `nn.GRU` (four with both Elman activations).
    public var isClassic: Bool { self == .rnnTanh || self == .rnnRelu || self == .lstm || self == .gru }
}
