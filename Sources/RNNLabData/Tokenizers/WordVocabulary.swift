/// A word-level vocabulary: whitespace-separated words, the most frequent
/// first (ties by first occurrence), capped at `maxSize` with `<unk>` for the
/// rest. With `endOfSentence`, each line ends with an `<eos>` token (the Penn
/// Treebank convention of Mikolov et al.).
public struct WordVocabulary: Tokenizer, Equatable {
    public static let unknown = "<unk>"
    public static let endOfSentenceToken = "<eos>"
    /// The words, by id.
    public let words: [String]
    public let endOfSentence: Bool
    private let ids: [String: Int32]

    /// Builds the vocabulary of `text`. `<unk>` is always in it (added when the
    /// text has none); `maxSize` counts every entry, `<unk>` and `<eos>` included.
    public init(text: String, endOfSentence: Bool = false, maxSize: Int? = nil) {
        var counts: [String: Int] = [:], order: [String] = []
        for word in WordVocabulary.tokens(of: text, endOfSentence: endOfSentence) {
            if counts[word] == nil { order.append(word) }
            counts[word, default: 0] += 1
        }
        let firstSeen = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var ranked = order.sorted { a, b in
            let (countA, countB) = (counts[a] ?? 0, counts[b] ?? 0)
            return countA != countB ? countA > countB : (firstSeen[a] ?? 0) < (firstSeen[b] ?? 0)
        }
        if !ranked.contains(WordVocabulary.unknown) { ranked.insert(WordVocabulary.unknown, at: 0) }
        if let maxSize, ranked.count > maxSize {
            var kept = Array(ranked.prefix(maxSize))
            if !kept.contains(WordVocabulary.unknown) { kept[kept.count - 1] = WordVocabulary.unknown }
            ranked = kept
        }
        words = ranked
        self.endOfSentence = endOfSentence
        ids = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1, Int32($0)) })
    }

    /// The tokens of a text: whitespace-separated words, plus `<eos>` per line when asked.
    public static func tokens(of text: String, endOfSentence: Bool) -> [String] {
        guard endOfSentence else { return text.split(whereSeparator: \.isWhitespace).map(String.init) }
        var result: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(whereSeparator: \.isWhitespace)
            if words.isEmpty { continue }
            result += words.map(String.init)
            result.append(endOfSentenceToken)
        }
        return result
    }

    public var size: Int { words.count }

    /// The id of a word (`<unk>`'s for unknown words).
    public func id(of word: String) -> Int32 {
        ids[word] ?? ids[WordVocabulary.unknown] ?? 0
    }

    public func encode(_ text: String) throws -> [Int32] {
        WordVocabulary.tokens(of: text, endOfSentence: endOfSentence).map(id(of:))
    }

    public var unknownToken: String? { WordVocabulary.unknown }

    /// Words not in the vocabulary are `<unk>` (`map`, the default), left out (`skip`), or an error naming
    /// the line (`error`); `<eos>` tokens are never unknown.
    public func encode(_ text: String, source: String, unknown policy: UnknownSymbolPolicy) throws -> TokenizedText {
        var result = TokenizedText(ids: [])
        for (line, word) in WordVocabulary.numberedTokens(of: text, endOfSentence: endOfSentence) {
            if let id = ids[word] {
                result.ids.append(id)
                continue
            }
            switch policy {
            case .map:
                result.ids.append(id(of: word))
                result.noteUnknown(word)
            case .skip:
                result.noteUnknown(word)
            case .error:
                throw DataError.malformed(path: source, line: line, column: nil, reason: "word '\(word)' is not in the vocabulary")
            }
        }
        return result
    }

    /// `tokens(of:endOfSentence:)`, each with its 1-based line.
    static func numberedTokens(of text: String, endOfSentence: Bool) -> [(line: Int, token: String)] {
        var result: [(line: Int, token: String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(whereSeparator: \.isWhitespace)
            if words.isEmpty { continue }
            result += words.map { (index + 1, String($0)) }
            if endOfSentence { result.append((index + 1, endOfSentenceToken)) }
        }
        return result
    }

    public func decode(_ ids: [Int32]) -> String {
        var text = ""
        for id in ids {
            let word = id >= 0 && Int(id) < words.count ? words[Int(id)] : WordVocabulary.unknown
            if endOfSentence && word == WordVocabulary.endOfSentenceToken {
                text += "\n"
            } else {
                if !text.isEmpty && !text.hasSuffix("\n") { text += " " }
                text += word
            }
        }
        return text
    }

    private enum CodingKeys: String, CodingKey { case words, endOfSentence = "end_of_sentence" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        words = try container.decode([String].self, forKey: .words)
        endOfSentence = try container.decode(Bool.self, forKey: .endOfSentence)
        ids = Dictionary(words.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(words, forKey: .words)
        try container.encode(endOfSentence, forKey: .endOfSentence)
    }
}
