import Crypto
import Foundation

/// SHA-256 (FIPS 180-4) as lowercase hex, for verifying data files against the
/// registry and for run ids and run checksums; computed by swift-crypto.
public enum SHA256 {
    /// An incremental hasher: feed bytes with `update`, then read `hexDigest`.
    public struct Hasher {
        private var digest = Crypto.SHA256()

        public init() {}

        /// Adds bytes to the message.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            digest.update(bufferPointer: bytes)
        }

        /// Finishes the message; returns the digest as 64 lowercase hex digits.
        public mutating func hexDigest() -> String {
            SHA256.hex(digest.finalize())
        }
    }

    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func hex(of data: Data) -> String {
        hex(Crypto.SHA256.hash(data: data))
    }

    /// The SHA-256 of a file's bytes, read in 1 MiB chunks.
    public static func hex(ofFileAt path: String) throws -> String {
        try hex(ofFileAt: path, progress: nil)
    }

    /// The same, calling `progress` with the bytes hashed so far after every mebibyte.
    public static func hex(ofFileAt path: String, progress: ((Int) -> Void)?) throws -> String {
        var done = 0
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError.unreadable(path: path, reason: "cannot open") }
        defer { try? handle.close() }
        var hasher = Hasher()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
            done += chunk.count
            progress?(done)
        }
        return hasher.hexDigest()
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A digest's bytes as lowercase hex digits, two per byte.
    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
