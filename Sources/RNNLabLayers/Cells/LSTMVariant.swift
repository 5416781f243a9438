/// The peephole LSTM of Greff et al. (2017), "LSTM: A Search Space Odyssey", and its
/// eight variants: which gates exist, which activations apply, which connections.
///
/// Gate blocks are stored in the order i, f, o (those present), then the block input
/// g, in the rows of `weight_ih`, `weight_hh` and both biases: the sigmoid gates come
/// first so that the full gate recurrence reads them as one contiguous block.
public struct LSTMVariant: Equatable, Sendable {
    /// Greff et al.'s short name (V, NIG, NFG, …).
    public let name: String
    /// Whether the input gate exists (NIG: i = 1).
    public let hasInputGate: Bool
    /// Whether the forget gate has its own block (NFG: f = 1; CIFG: f = 1 − i).
    public let hasForgetGate: Bool
    /// CIFG: f = 1 − i.
    public let couplesForgetToInput: Bool
    /// Whether the output gate exists (NOG: o = 1).
    public let hasOutputGate: Bool
    /// Whether the block input is tanh(a_g) (false for NIAF: g = a_g).
    public let inputActivation: Bool
    /// Whether the output is o ⊙ tanh(c) (false for NOAF: o ⊙ c).
    public let outputActivation: Bool
    /// Whether the gates see the cell state through diagonal peephole weights.
    public let peepholes: Bool
    /// FGR: the gates i, f, o also read the previous step's i, f, o through `weight_gg` [3H, 3H].
    public let fullGateRecurrence: Bool

    static func make(_ name: String, input: Bool = true, forget: Bool = true, coupled: Bool = false, output: Bool = true,
                     inputActivation: Bool = true, outputActivation: Bool = true, peepholes: Bool = true,
                     fullGateRecurrence: Bool = false) -> LSTMVariant {
        LSTMVariant(name: name, hasInputGate: input, hasForgetGate: forget, couplesForgetToInput: coupled,
                    hasOutputGate: output, inputActivation: inputActivation, outputActivation: outputActivation,
                    peepholes: peepholes, fullGateRecurrence: fullGateRecurrence)
    }

    public static let vanilla = make("V")
    public static let noInputGate = make("NIG", input: false)
    public static let noForgetGate = make("NFG", forget: false)
    public static let noOutputGate = make("NOG", output: false)
    public static let noInputActivation = make("NIAF", inputActivation: false)
    public static let noOutputActivation = make("NOAF", outputActivation: false)
    public static let noPeepholes = make("NP", peepholes: false)
    public static let coupledGates = make("CIFG", forget: false, coupled: true)
    public static let fullGateRecurrence = make("FGR", fullGateRecurrence: true)

    /// The block index of the input gate i, if present.
    public var inputBlock: Int? { hasInputGate ? 0 : nil }
    /// The block index of the forget gate f, if it has its own block.
    public var forgetBlock: Int? { hasForgetGate ? (hasInputGate ? 1 : 0) : nil }
    /// The block index of the output gate o, if present.
    public var outputBlock: Int? { hasOutputGate ? sigmoidGateCount - 1 : nil }
    /// The number of sigmoid gate blocks (i, f, o present).
    public var sigmoidGateCount: Int { (hasInputGate ? 1 : 0) + (hasForgetGate ? 1 : 0) + (hasOutputGate ? 1 : 0) }
    /// The block index of the block input g (always last).
    public var candidateBlock: Int { sigmoidGateCount }
    /// G: the sigmoid gates and g.
    public var gateCount: Int { sigmoidGateCount + 1 }

    /// The peephole vectors, by name suffix (`ci`, `cf`, `co`), in parameter order.
    public var peepholeNames: [String] {
        guard peepholes else { return [] }
        return (hasInputGate ? ["ci"] : []) + (hasForgetGate ? ["cf"] : []) + (hasOutputGate ? ["co"] : [])
    }
}
