/// What encoding a text does with a symbol its tokenizer has no id for (`rnnlab eval --unknown`).
public enum UnknownSymbolPolicy: String, CaseIterable, Sendable {
    /// Stop with an error naming the file, the line and the symbol.
    case error
    /// Leave the symbol out (and count it).
    case skip
    /// Use the tokenizer's unknown token (word vocabularies: `<unk>`); an error for tokenizers without one.
    case map

    /// The policy when none is asked for: `map` where the tokenizer has an unknown token (its training
    /// text was encoded that way), else `error`.
    public static func `default`(for tokenizer: some Tokenizer) -> UnknownSymbolPolicy {
        tokenizer.unknownToken == nil ? .error : .map
    }
}

/// The ids of a text, and the symbols the tokenizer had no id for (skipped or mapped, by the policy).
public struct TokenizedText: Equatable, Sendable {
    public var ids: [Int32]
    /// How many symbols had no id.
    public var unknownCount: Int
    /// The distinct symbols that had no id, in the order they first occur.
    public private(set) var unknownSymbols: [String]
    private var seen: Set<String>

    public init(ids: [Int32], unknownCount: Int = 0, unknownSymbols: [String] = []) {
        self.ids = ids
        self.unknownCount = unknownCount
        self.unknownSymbols = unknownSymbols
        self.seen = Set(unknownSymbols)
    }

    /// Counts one symbol without an id.
    mutating func noteUnknown(_ symbol: String) {
        unknownCount += 1
        if seen.insert(symbol).inserted { unknownSymbols.append(symbol) }
    }
}

/// A text that a tokenizer cannot encode under the policy asked for.
public enum TokenizationError: Error, Equatable, CustomStringConvertible {
    /// `--unknown map` with a tokenizer that has no unknown token.
    case noUnknownToken(tokenizer: String)

    public var description: String {
        switch self {
        case .noUnknownToken(let tokenizer):
            "the \(tokenizer) has no unknown token to map unseen symbols to; use --unknown skip or --unknown error"
        }
    }
}

/// How a symbol is shown in messages: quoted, with its code points, e.g. `'1' (U+0031)`; control
/// characters are escaped inside the quotes (`'\n' (U+000A)`).
public func quotedSymbol(_ symbol: String) -> String {
    let shown = symbol.unicodeScalars.map { scalar -> String in
        scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
            ? scalar.escaped(asASCII: true) : String(scalar)
    }.joined()
    let codes = symbol.unicodeScalars.map { scalar -> String in
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }.joined(separator: " ")
    return "'\(shown)' (\(codes))"
}
