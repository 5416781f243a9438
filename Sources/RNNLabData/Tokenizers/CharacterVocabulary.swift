/// A character-level vocabulary: the distinct characters (extended grapheme
/// clusters) of a text, sorted by their Unicode scalars. Line ends are LF.
public struct CharacterVocabulary: Tokenizer, Equatable {
    /// The symbols, by id.
    public let symbols: [String]
    private let ids: [String: Int32]

    /// The vocabulary of every character in `text`.
    public init(text: String) {
        let distinct = Set(text.map(String.init))
        symbols = distinct.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        ids = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, Int32($0)) })
    }

    public var size: Int { symbols.count }

    /// Characters have no unknown token: an unseen character is an error or skipped.
    public var unknownToken: String? { nil }

    public func encode(_ text: String) throws -> [Int32] {
        try encode(text, source: "(text)", unknown: .error).ids
    }

    public func encode(_ text: String, source: String, unknown policy: UnknownSymbolPolicy) throws -> TokenizedText {
        if policy == .map { throw TokenizationError.noUnknownToken(tokenizer: "character vocabulary") }
        var result = TokenizedText(ids: [])
        result.ids.reserveCapacity(text.utf8.count)
        var line = 1
        for character in text {
            let symbol = String(character)
            if let id = ids[symbol] {
                result.ids.append(id)
            } else if policy == .skip {
                result.noteUnknown(symbol)
            } else {
                throw DataError.malformed(path: source, line: line, column: nil,
                                          reason: "character \(quotedSymbol(symbol)) is not in the vocabulary")
            }
            if character == "\n" { line += 1 }
        }
        return result
    }

    public func decode(_ ids: [Int32]) -> String {
        ids.map { $0 >= 0 && Int($0) < symbols.count ? symbols[Int($0)] : "\u{FFFD}" }.joined()
    }

    private enum CodingKeys: String, CodingKey { case symbols }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbols = try container.decode([String].self, forKey: .symbols)
        ids = Dictionary(symbols.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(symbols, forKey: .symbols)
    }
}
