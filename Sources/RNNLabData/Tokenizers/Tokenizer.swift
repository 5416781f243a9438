/// Turns text into token ids and back. Every tokenizer is `Codable`, so the
/// one a run was trained with can be stored with it and reused for sampling
/// and evaluation.
public protocol Tokenizer: Codable, Sendable {
    /// The number of distinct ids, 0..<size.
    var size: Int { get }
    /// The ids of a text; throws when the text holds a symbol the tokenizer cannot represent.
    func encode(_ text: String) throws -> [Int32]
    /// The token unseen symbols are encoded as, if the tokenizer has one (word vocabularies: `<unk>`).
    var unknownToken: String? { get }
    /// The ids of `text` read from `source` (a file path: errors name it and the line), with `unknown`
    /// deciding what happens to a symbol the tokenizer has no id for; the result counts those symbols.
    func encode(_ text: String, source: String, unknown: UnknownSymbolPolicy) throws -> TokenizedText
    /// The text of a sequence of ids.
    func decode(_ ids: [Int32]) -> String
}
