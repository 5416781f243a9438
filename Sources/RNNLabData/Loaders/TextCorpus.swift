import Foundation

/// Plain UTF-8 text corpora (character or word level).
public enum TextCorpus {
    /// The file's text with CRLF and lone CR line ends turned into LF.
    /// Invalid UTF-8 is an error naming the line and byte offset.
    public static func load(contentsOf url: URL) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError.unreadable(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError.malformed(path: url.path, line: invalidUTF8Line(data).line, column: nil,
                                      reason: "not valid UTF-8 (first bad byte at offset \(invalidUTF8Line(data).offset))")
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The 1-based line and byte offset of the first invalid UTF-8 sequence.
    static func invalidUTF8Line(_ data: Data) -> (line: Int, offset: Int) {
        var line = 1, offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var scalarStart = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                offset += String(scalar).utf8.count
                scalarStart = offset
            case .emptyInput:
                return (line, offset)
            case .error:
                return (line, scalarStart)
            }
        }
    }
}
