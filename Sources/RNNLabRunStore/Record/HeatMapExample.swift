/// One heat map of a report as plain values: weights over source tokens (columns) for each
/// output token (rows), with its title and caption.
public struct HeatMapExample: Codable, Equatable, Sendable {
    /// What the weights are.
    public enum Kind: String, Codable, Sendable {
        /// Attention-pooling weights of a sequence model's readout over the words of a sentence.
        case pooling
        /// A decoder's attention over the source at every output step.
        case attention
    }

    public var kind: Kind
    /// The example's number among those the family chose for the run (from 1).
    public var number: Int
    public var title: String
    public var caption: String
    public var sourceTokens: [String]
    public var outputTokens: [String]
    /// weights[output row][source column].
    public var weights: [[Double]]

    public init(kind: Kind, number: Int, title: String, caption: String, sourceTokens: [String], outputTokens: [String],
                weights: [[Double]]) {
        self.kind = kind
        self.number = number
        self.title = title
        self.caption = caption
        self.sourceTokens = sourceTokens
        self.outputTokens = outputTokens
        self.weights = weights
    }

    enum CodingKeys: String, CodingKey {
        case kind, number, title, caption, sourceTokens = "source_tokens", outputTokens = "output_tokens", weights
    }
}
