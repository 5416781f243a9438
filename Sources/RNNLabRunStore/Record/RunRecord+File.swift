import Foundation
import RNNLabData

/// Why a record file cannot be used. A report, `status` or `verify` names the file and leaves it out.
public enum RunRecordError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read or is not JSON of the record schema.
    case unreadable(path: String, reason: String)
    /// Written by a schema version this code does not read.
    case unsupportedVersion(path: String, version: Int)
    /// The record's bytes do not match the checksum stored with them: it was edited or damaged.
    case checksumMismatch(path: String, stored: String, computed: String)
    /// The record is well formed but contradicts itself or its place (run id, experiment).
    case inconsistent(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): not a run record: \(reason)"
        case .unsupportedVersion(let path, let version):
            "\(path): record schema version \(version); this rnnlab reads version \(RunRecord.schemaVersion)"
        case .checksumMismatch(let path, let stored, let computed):
            "\(path): the record does not match its checksum (stored \(stored.prefix(12))…, computed \(computed.prefix(12))…): edited or damaged"
        case .inconsistent(let path, let reason): "\(path): \(reason)"
        }
    }
}

/// A record file on disk: the record with the schema's name, version and a checksum, in this exact layout:
///
///     {"checksum":"<64 hex digits>","format":"rnnlab-run-record","schema_version":1,"record":RECORD}
///
/// followed by a newline. RECORD is the record as JSON with keys sorted, no whitespace, `/` unescaped and
/// non-finite numbers as the strings `"inf"`, `"-inf"` and `"nan"`; `checksum` is the SHA-256 of RECORD's bytes
/// exactly as they stand in the file (the bytes after `"record":` up to the closing `}` of the file). So any edit
/// of the record, one digit, is detected on reading, whichever JSON library wrote or reads it.
struct RunRecordFile: Codable {
    var checksum: String
    var format: String
    var record: RunRecord
    var schemaVersion: Int

    enum CodingKeys: String, CodingKey {
        case checksum, format, record, schemaVersion = "schema_version"
    }

    /// The bytes before the checksum's hex digits, and between them and RECORD.
    static let prefix = Array("{\"checksum\":\"".utf8)
    static func middle(version: Int) -> [UInt8] { Array("\",\"format\":\"\(RunRecord.format)\",\"schema_version\":\(version),\"record\":".utf8) }

    /// RECORD's bytes and the stored checksum, when `data` has the layout above.
    static func split(_ data: Data, version: Int) -> (checksum: String, record: Data)? {
        let bytes = [UInt8](data)
        let middle = middle(version: version)
        let head = prefix.count + 64 + middle.count
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0a { end -= 1 }
        guard end > head, bytes[end - 1] == UInt8(ascii: "}"), Array(bytes[0..<prefix.count]) == prefix,
              Array(bytes[(prefix.count + 64)..<head]) == middle else { return nil }
        let checksum = String(decoding: bytes[prefix.count..<(prefix.count + 64)], as: UTF8.self)
        return (checksum, Data(bytes[head..<(end - 1)]))
    }
}

/// Only the header, to check the format and version before decoding a record.
private struct RunRecordHeader: Decodable {
    var format: String?
    var schemaVersion: Int?

    enum CodingKeys: String, CodingKey {
        case format, schemaVersion = "schema_version"
    }
}

extension RunRecord {
    /// The canonical JSON encoder of records (see `RunRecordFile`): `JSONCoding`'s, with `/` unescaped.
    static func canonicalEncoder() -> JSONEncoder {
        let encoder = JSONCoding.encoder()
        encoder.outputFormatting.insert(.withoutEscapingSlashes)
        return encoder
    }

    static func decoder() -> JSONDecoder { JSONCoding.decoder() }

    /// The SHA-256 of the record's canonical JSON (the `checksum` its file stores).
    public func checksum() throws -> String {
        SHA256.hex(of: try Self.canonicalEncoder().encode(self))
    }

    /// The bytes of the record's file (ending with a newline), in the layout of `RunRecordFile`.
    public func fileData() throws -> Data {
        let record = try Self.canonicalEncoder().encode(self)
        var data = Data(RunRecordFile.prefix)
        data.append(Data(SHA256.hex(of: record).utf8))
        data.append(Data(RunRecordFile.middle(version: Self.schemaVersion)))
        data.append(record)
        data.append(contentsOf: Array("}\n".utf8))
        return data
    }

    /// Writes the record atomically (temporary file, sync, rename).
    public func write(to path: String) throws {
        try DurableWrite.write(Array(try fileData()), to: path, through: path + ".tmp-\(getpid())")
    }

    /// The record in the file at `path`, checked: format, schema version, checksum, and that its run id is the
    /// hash of its configuration.
    public static func read(from path: String) throws(RunRecordError) -> RunRecord {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, path: path)
    }

    /// A record from a file's bytes (see `read(from:)`); `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws(RunRecordError) -> RunRecord {
        guard let header = try? JSONDecoder().decode(RunRecordHeader.self, from: data) else {
            throw .unreadable(path: path, reason: "not a JSON object")
        }
        guard header.format == format else { throw .unreadable(path: path, reason: "its format is not \"\(format)\"") }
        guard let version = header.schemaVersion else { throw .unreadable(path: path, reason: "no schema_version") }
        guard version == schemaVersion else { throw .unsupportedVersion(path: path, version: version) }
        let file: RunRecordFile
        do { file = try decoder().decode(RunRecordFile.self, from: data) } catch {
            throw .unreadable(path: path, reason: Self.describe(error))
        }
        guard let (stored, bytes) = RunRecordFile.split(data, version: version), stored == file.checksum else {
            throw .unreadable(path: path, reason: "its keys are not in the record layout (checksum, format, schema_version, record)")
        }
        let computed = SHA256.hex(of: bytes)
        guard computed == stored else { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
        let runID: String
        do { runID = try file.record.configuration.runID() } catch {
            throw .unreadable(path: path, reason: "its configuration cannot be encoded (\(error))")
        }
        guard runID == file.record.runID else {
            throw .inconsistent(path: path, reason: "its run id \(file.record.runID) is not the id of its configuration (\(runID))")
        }
        return file.record
    }

    /// A decoding error as "key a.b.c: what is wrong".
    private static func describe(_ error: Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "key \(path(context)).\(key.stringValue) is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "key \(path(context)): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
