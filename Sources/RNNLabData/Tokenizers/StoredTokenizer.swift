/// Any of the tokenizers, tagged with its kind, for storing with a run.
public enum StoredTokenizer: Tokenizer, Equatable {
    case characters(CharacterVocabulary)
    case words(WordVocabulary)
    case bytePairs(BytePairEncoding)

    /// The wrapped tokenizer.
    public var base: any Tokenizer {
        switch self {
        case .characters(let t): t
        case .words(let t): t
        case .bytePairs(let t): t
        }
    }

    public var size: Int { base.size }
    public func encode(_ text: String) throws -> [Int32] { try base.encode(text) }
    public var unknownToken: String? { base.unknownToken }
    public func encode(_ text: String, source: String, unknown: UnknownSymbolPolicy) throws -> TokenizedText {
        try base.encode(text, source: source, unknown: unknown)
    }
    public func decode(_ ids: [Int32]) -> String { base.decode(ids) }
}
