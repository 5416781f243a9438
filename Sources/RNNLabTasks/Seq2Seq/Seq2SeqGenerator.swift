import RNNLabNumerics

/// The generated sequence-to-sequence tasks.
public enum Seq2SeqTaskKind: String, CaseIterable, Codable, Sendable {
    /// "abcd" → "dcba"; size = number of symbols.
    case reversal
    /// "cadb" → "abcd"; size = number of symbols (repeats allowed).
    case sorting
    /// "23 nov 2026" → "2026-11-23" in 13 surface formats; size = source characters.
    case dates
    /// "123+456" → "579"; size = digits of the longer operand.
    case addition

    /// The characters of the task's vocabulary, in id order.
    public var characters: [Character] {
        switch self {
        case .reversal, .sorting: Array("abcdefghij")
        case .addition: Array("0123456789+")
        case .dates: Array("0123456789abcdefghijklmnopqrstuvwxyz ,./-")
        }
    }

    public var vocabulary: Seq2SeqVocabulary { Seq2SeqVocabulary(characters: characters) }
}

/// One source/target pair with its size (the quantity length generalisation is measured in).
public struct Seq2SeqExample: Equatable, Sendable {
    public var source: String
    public var target: String
    public var size: Int
}

/// Draws examples of a task from a random stream.
public struct Seq2SeqGenerator: Sendable {
    public let kind: Seq2SeqTaskKind

    public init(kind: Seq2SeqTaskKind) { self.kind = kind }

    /// The smallest size the task can produce.
    public var minimumSize: Int { kind == .dates ? 8 : 1 }

    /// An example of exactly `size` (for dates: of at most `size` source characters
    /// when `atMost`, else of any length, its size being its character count).
    public func example(size: Int, atMost: Bool = false, random: inout RandomStream) -> Seq2SeqExample {
        switch kind {
        case .reversal:
            let s = symbols(size, &random)
            return Seq2SeqExample(source: s, target: String(s.reversed()), size: size)
        case .sorting:
            let s = symbols(size, &random)
            return Seq2SeqExample(source: s, target: String(s.sorted()), size: size)
        case .addition:
            // One operand has exactly `size` digits, the other 1...size; no leading zeros.
            let long = number(digits: size, &random), short = number(digits: 1 + random.index(below: size), &random)
            let (a, b) = random.index(below: 2) == 0 ? (long, short) : (short, long)
            return Seq2SeqExample(source: "\(a)+\(b)", target: String(a + b), size: size)
        case .dates:
            while true {
                let e = date(&random)
                if !atMost || e.size <= size { return e }
            }
        }
    }

    private func symbols(_ count: Int, _ random: inout RandomStream) -> String {
        let alphabet = kind.characters
        return String((0..<count).map { _ in alphabet[random.index(below: alphabet.count)] })
    }

    private func number(digits: Int, _ random: inout RandomStream) -> Int {
        var n = 1 + random.index(below: 9)
        for _ in 1..<max(digits, 1) { n = n * 10 + random.index(below: 10) }
        return n
    }

    private func date(_ random: inout RandomStream) -> Seq2SeqExample {
        let year = 1950 + random.index(below: 100), month = 1 + random.index(below: 12)
        let day = 1 + random.index(below: CalendarDate.days(inMonth: month, year: year))
        let value = CalendarDate(year: year, month: month, day: day)
        let format = DateFormat.allCases[random.index(below: DateFormat.allCases.count)]
        let source = format.render(value, zeroPadded: random.index(below: 2) == 0)
        return Seq2SeqExample(source: source, target: value.iso, size: source.count)
    }
}
