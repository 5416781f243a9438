/// Turns text into token ids and back. Every tokenizer is `Codable`, so the
/// one a run was trained with can be stored with it and reused for sampling
/// and evaluation.
public protocol Tokenizer: Codable, Sendable {
    /// The number of distinct ids, 0..<size.
    var size: Int { get }
    /// The ids of a text; throws when the text holds a symbol the tokenizer cannot represent.
    func encode(_ text: String) throws -> [Int32]
    /// The text of a sequence of ids.
    func decode(_ ids: [Int32]) -> String
}
