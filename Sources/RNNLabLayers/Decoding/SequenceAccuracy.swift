/// Exact-match and token-level accuracy of decoded sequences against references.
///
/// Token accuracy is Σ (positions i where both have a token and they agree) /
/// Σ max(|prediction|, |reference|): a missing or extra token counts as wrong.
/// ⟨eos⟩ is not counted.
public struct SequenceAccuracy: Equatable, Sendable {
    public private(set) var sequences = 0
    public private(set) var exactMatches = 0
    public private(set) var tokenMatches = 0
    public private(set) var tokenPositions = 0

    public init() {}

    public mutating func add(prediction: [Int32], reference: [Int32]) {
        sequences += 1
        if prediction == reference { exactMatches += 1 }
        tokenMatches += zip(prediction, reference).filter { $0 == $1 }.count
        tokenPositions += max(prediction.count, reference.count)
    }

    public mutating func add(_ other: SequenceAccuracy) {
        sequences += other.sequences
        exactMatches += other.exactMatches
        tokenMatches += other.tokenMatches
        tokenPositions += other.tokenPositions
    }

    /// The fraction of sequences decoded exactly (nan when empty).
    public var exactMatch: Double { sequences == 0 ? .nan : Double(exactMatches) / Double(sequences) }
    /// The fraction of token positions right (1 when both are empty everywhere).
    public var tokenAccuracy: Double {
        sequences == 0 ? .nan : tokenPositions == 0 ? 1 : Double(tokenMatches) / Double(tokenPositions)
    }
}
