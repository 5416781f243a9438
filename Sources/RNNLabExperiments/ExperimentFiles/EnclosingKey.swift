import Foundation

extension ConfigNode {
    /// The dotted key of the block-style mapping entry at or above `line`
    /// (1-based), found from indentation alone: a syntax error can then name
    /// the key it is in, although the text does not parse.
    /// Above the first key, it is the first key below.
    static func enclosingKey(in text: String, line: Int) -> String {
        var stack: [(indent: Int, key: String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index < max(line, 1) || stack.isEmpty {
            let content = raw.drop(while: { $0 == " " || $0 == "-" })
            let indent = raw.count - content.count
            guard let first = content.first, first != "#", let colon = content.firstIndex(of: ":") else { continue }
            let key = content[content.startIndex..<colon].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) else { continue }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            stack.append((indent, key))
        }
        return stack.map(\.key).joined(separator: ".")
    }
}
