/// The recurrent cell types, with PyTorch's equations (see `docs/models.md`).
public enum CellKind: String, CaseIterable, Codable, Sendable {
    /// Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
    case rnnTanh = "rnn_tanh"
    /// Elman RNN with ReLU, h' = relu(W_ih x + b_ih + W_hh h + b_hh).
    case rnnRelu = "rnn_relu"
    /// LSTM with gate blocks i, f, g, o.
    case lstm
    /// GRU with gate blocks r, z, n.
    case gru

    /// The number of gate blocks G: the weights are G·H rows tall.
    public var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnRelu: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Whether the cell carries a cell state c beside h.
    public var hasCellState: Bool { self == .lstm }
}
