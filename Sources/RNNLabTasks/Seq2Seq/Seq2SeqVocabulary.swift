/// The character vocabulary of a sequence-to-sequence task, shared by source
/// and target: id 0 is ⟨eos⟩ (also the source padding), id 1 is ⟨bos⟩, and the
/// task's characters follow in a fixed order, so a stored run rebuilds the same
/// vocabulary from its task kind alone.
public struct Seq2SeqVocabulary: Equatable, Sendable {
    public static let endToken: Int32 = 0
    public static let beginToken: Int32 = 1
    /// The characters with ids 2, 3, ….
    public let characters: [Character]
    private let ids: [Character: Int32]

    public init(characters: [Character]) {
        self.characters = characters
        var ids: [Character: Int32] = [:]
        for (i, c) in characters.enumerated() { ids[c] = Int32(i + 2) }
        self.ids = ids
    }

    /// The number of ids, ⟨eos⟩ and ⟨bos⟩ included.
    public var size: Int { characters.count + 2 }

    /// The ids of a string's characters.
    public func encode(_ text: String) throws -> [Int32] {
        try text.map { c in
            guard let id = ids[c] else { throw Seq2SeqTaskError.unknownCharacter(c, known: String(characters)) }
            return id
        }
    }

    /// The string of ids, stopping at the first ⟨eos⟩ and skipping ⟨bos⟩.
    public func decode(_ tokens: [Int32]) -> String {
        var text = ""
        for token in tokens {
            if token == Seq2SeqVocabulary.endToken { break }
            let index = Int(token) - 2
            if index >= 0 && index < characters.count { text.append(characters[index]) }
        }
        return text
    }
}

/// Errors of sequence-to-sequence tasks.
public enum Seq2SeqTaskError: Error, Equatable, CustomStringConvertible {
    case unknownCharacter(Character, known: String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .unknownCharacter(let c, let known): "character \"\(c)\" is not in the task's vocabulary \"\(known)\""
        case .invalidConfiguration(let message): "invalid sequence-to-sequence task: \(message)"
        }
    }
}
