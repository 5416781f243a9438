import Foundation

/// Plain text corpora (character or word level).
public enum TextCorpus {
    /// The file's text with CRLF and lone CR line ends turned into LF.
    /// Invalid UTF-8 is an error naming the line, the column and the byte offset.
    public static func load(contentsOf url: URL) throws -> String {
        try load(contentsOf: url, encoding: .utf8)
    }

    /// The file's text in `encoding`, with CRLF and lone CR line ends turned into LF. Bytes that are not
    /// text in that encoding are an error naming the file, the line and the column (UTF-8: of the first bad byte).
    public static func load(contentsOf url: URL, encoding: TextFileEncoding) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError.unreadable(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let text: String?
        switch encoding {
        case .utf8: text = String(data: data, encoding: .utf8)
        case .latin1: text = String(data: data, encoding: .isoLatin1)
        case .windows1252: text = String(data: data, encoding: .windowsCP1252)
        case .utf16: text = String(data: data, encoding: .utf16)
        }
        guard let text else {
            if encoding == .utf8 {
                let bad = invalidUTF8Position(data)
                throw DataError.malformedAt(path: url.path, line: bad.line, column: bad.column,
                                            reason: "not valid UTF-8 (byte 0x\(String(format: "%02X", bad.byte)) at offset \(bad.offset)); "
                                                + "give the file's encoding (encoding: latin-1, windows-1252 or utf-16) or convert it")
            }
            throw DataError.malformed(path: url.path, line: nil, column: nil, reason: "not valid \(encoding.rawValue) text")
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The 1-based line and character column, the byte offset and the byte of the first invalid UTF-8 sequence.
    static func invalidUTF8Position(_ data: Data) -> (line: Int, column: Int, offset: Int, byte: UInt8) {
        var line = 1, column = 1, offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                offset += String(scalar).utf8.count
            case .emptyInput:
                return (line, column, offset, 0)
            case .error:
                return (line, column, offset, offset < data.count ? data[data.startIndex + offset] : 0)
            }
        }
    }
}
