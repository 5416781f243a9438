/// Byte-level byte-pair encoding (Sennrich et al. 2016, on bytes as GPT-2).
///
/// Ids 0…255 are the bytes; id 256 + m is the m-th merge. Training counts
/// adjacent pairs inside chunks (a chunk is a run of non-whitespace bytes with
/// the whitespace before it), merges the most frequent pair, and repeats;
/// ties go to the pair with the smallest ids, so training is deterministic.
/// Encoding applies the merges in the order they were learned; decoding
/// concatenates bytes, so decode(encode(s)) == s for every string.
public struct BytePairEncoding: Tokenizer, Equatable {
    /// The learned merges, in order: merge m joins (left, right) into 256 + m.
    public let merges: [[Int32]]
    private var ranks: [Pair: Int] { Dictionary(uniqueKeysWithValues: merges.enumerated().map { (Pair($1[0], $1[1]), $0) }) }

    struct Pair: Hashable, Comparable {
        let left: Int32, right: Int32
        init(_ left: Int32, _ right: Int32) { self.left = left; self.right = right }
        static func < (a: Pair, b: Pair) -> Bool { (a.left, a.right) < (b.left, b.right) }
    }

    /// Learns up to `merges` merges from `text` (fewer if no pair occurs twice).
    public init(training text: String, merges count: Int) {
        var chunkCounts: [[Int32]: Int] = [:]
        for chunk in BytePairEncoding.chunks(of: text) { chunkCounts[chunk, default: 0] += 1 }
        var chunks = chunkCounts.map { (symbols: $0.key, count: $0.value) }.sorted { $0.symbols.lexicographicallyPrecedes($1.symbols) }
        var learned: [[Int32]] = []
        for m in 0..<max(count, 0) {
            var pairCounts: [Pair: Int] = [:]
            for chunk in chunks where chunk.symbols.count > 1 {
                for i in 0..<(chunk.symbols.count - 1) { pairCounts[Pair(chunk.symbols[i], chunk.symbols[i + 1]), default: 0] += chunk.count }
            }
            guard let best = pairCounts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), best.value >= 2 else { break }
            let newID = Int32(256 + m)
            learned.append([best.key.left, best.key.right])
            for index in chunks.indices {
                chunks[index].symbols = BytePairEncoding.merge(chunks[index].symbols, best.key, into: newID)
            }
        }
        merges = learned
    }

    public var size: Int { 256 + merges.count }

    public func encode(_ text: String) throws -> [Int32] {
        let ranks = self.ranks
        var result: [Int32] = []
        var cache: [[Int32]: [Int32]] = [:]
        for chunk in BytePairEncoding.chunks(of: text) {
            if let done = cache[chunk] { result += done; continue }
            var symbols = chunk
            while symbols.count > 1 {
                var best: (rank: Int, pair: Pair)?
                for i in 0..<(symbols.count - 1) {
                    let pair = Pair(symbols[i], symbols[i + 1])
                    if let rank = ranks[pair], rank < best?.rank ?? Int.max { best = (rank, pair) }
                }
                guard let best else { break }
                symbols = BytePairEncoding.merge(symbols, best.pair, into: Int32(256 + best.rank))
            }
            cache[chunk] = symbols
            result += symbols
        }
        return result
    }

    /// Every byte has an id, so no symbol is ever unknown (and every policy encodes the same).
    public var unknownToken: String? { nil }

    public func encode(_ text: String, source: String, unknown: UnknownSymbolPolicy) throws -> TokenizedText {
        TokenizedText(ids: try encode(text))
    }

    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        func expand(_ id: Int32) {
            if id < 256 { bytes.append(UInt8(max(id, 0))); return }
            let m = Int(id) - 256
            guard m < merges.count else { return }
            expand(merges[m][0]); expand(merges[m][1])
        }
        ids.forEach(expand)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text's bytes cut into chunks: each run of non-whitespace bytes with the whitespace before it.
    static func chunks(of text: String) -> [[Int32]] {
        var result: [[Int32]] = [], current: [Int32] = []
        var previousWasSpace = false
        for byte in text.utf8 {
            let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            // Whitespace after a word starts the next chunk.
            if isSpace && !previousWasSpace && !current.isEmpty {
                result.append(current)
                current = []
            }
            current.append(Int32(byte))
            previousWasSpace = isSpace
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func merge(_ symbols: [Int32], _ pair: Pair, into id: Int32) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(symbols.count)
        var i = 0
        while i < symbols.count {
            if i + 1 < symbols.count && symbols[i] == pair.left && symbols[i + 1] == pair.right {
                result.append(id); i += 2
            } else {
                result.append(symbols[i]); i += 1
            }
        }
        return result
    }

    private enum CodingKeys: String, CodingKey { case merges }
}
