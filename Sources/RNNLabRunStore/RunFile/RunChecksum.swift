import Foundation
import RNNLabData

/// A SHA-256 over everything a run file stores: every dataset's values (bit
/// patterns, with its shape) and every attribute, by HDF5 path.
///
/// HDF5 checks its own metadata but not raw data, so a flipped bit in a weight
/// or a metric would otherwise be read back as a valid number. The writer
/// feeds each object it writes, the reader each object it reads; the order of
/// feeding does not matter (entries are hashed sorted by path). Stored as the
/// root attribute `checksum` ("sha256:HEX") from format version 2 on.
struct RunChecksum {
    private var entries: [String: String] = [:]

    static let prefix = "sha256:"

    mutating func add(_ path: String, text: String) {
        var hasher = SHA256.Hasher()
        feed(&hasher, "text")
        feed(&hasher, text)
        entries[path] = hasher.hexDigest()
    }

    mutating func add(_ path: String, integer: Int64) {
        add(path, text: "int64 \(integer)")
    }

    mutating func add(_ path: String, _ values: [Double], shape: [Int]? = nil) {
        var hasher = SHA256.Hasher()
        feed(&hasher, "float64 \((shape ?? [values.count]).map(String.init).joined(separator: "x"))")
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { hasher.update($0) }
        entries[path] = hasher.hexDigest()
    }

    mutating func add(_ path: String, _ values: [Float], shape: [Int]) {
        var hasher = SHA256.Hasher()
        feed(&hasher, "float32 \(shape.map(String.init).joined(separator: "x"))")
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { hasher.update($0) }
        entries[path] = hasher.hexDigest()
    }

    /// "sha256:HEX" over the entries sorted by path.
    var value: String {
        var hasher = SHA256.Hasher()
        for path in entries.keys.sorted() {
            feed(&hasher, path)
            feed(&hasher, entries[path] ?? "")
        }
        return RunChecksum.prefix + hasher.hexDigest()
    }

    /// Length-prefixed UTF-8, so that no two sequences of texts feed the same bytes.
    private func feed(_ hasher: inout SHA256.Hasher, _ text: String) {
        let bytes = Array(text.utf8)
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hasher.update($0) }
        bytes.withUnsafeBytes { hasher.update($0) }
    }
}

/// A run file whose content does not match its stored checksum.
public struct RunFileChecksumMismatch: Error, CustomStringConvertible {
    public var path: String
    public var stored: String
    public var computed: String
    public var description: String {
        "\(path): checksum mismatch (stored \(stored.isEmpty ? "none" : stored), computed \(computed)): the weights or metrics were altered after writing"
    }
}
