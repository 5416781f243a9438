import RNNLabNumerics

/// How a non-recurrent body scores a long stream that arrives in consecutive batches (language models):
/// each chunk of at most `stride` new steps (nil: the whole batch) is run with up to `history` earlier steps
/// in front of it, whose outputs are not scored.
public struct EvaluationWindow: Equatable, Sendable {
    /// The earlier steps put in front of each chunk.
    public var history: Int
    /// The new steps per chunk (nil: a whole batch at a time).
    public var stride: Int?

    public init(history: Int, stride: Int?) {
        self.history = history
        self.stride = stride
    }
}

/// The non-recurrent part of a `FeedForwardSequenceModel`: a causal map from input sequences to output
/// sequences with no state between calls (a TCN, a Transformer). Every output at t depends on inputs ≤ t
/// only, so padding at the end of a row never changes its real steps.
public protocol SequenceBody<Element>: AnyObject {
    associatedtype Element: Scalar
    /// Every parameter, in `state_dict` order.
    var parameters: [Parameter<Element>] { get }
    /// The width of each step's output.
    var outputSize: Int { get }
    /// How a stream split into batches is scored (see `EvaluationWindow`).
    var evaluationWindow: EvaluationWindow { get }
    /// x [T, B, I] → y [T, B, outputSize]; `lengths` are each row's real steps (nil: all).
    func forward(_ x: Tensor<Element>, lengths: [Int]?, training: Bool, random: inout RandomStream) -> Tensor<Element>
    /// dy [T, B, outputSize] → dx [T, B, I], accumulating every parameter gradient.
    func backward(_ dy: Tensor<Element>) -> Tensor<Element>
    /// Initialises every parameter from `random` (the body's own published scheme).
    func initialize(random: inout RandomStream)
}

/// What evaluation metrics read from any sequence model after a forward pass.
public protocol SequencePredictions<Element>: AnyObject {
    associatedtype Element: Scalar
    /// The outputs of the last forward pass: logits or predictions, [T·B, K] or [B, K].
    var predictions: Tensor<Element> { get }
    /// The summed loss of the last forward pass and the number of units it averages over.
    var lastLossSum: (total: Double, count: Int) { get }
}

extension SequenceModel: SequencePredictions {}
