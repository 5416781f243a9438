import Foundation

/// One scalar of a TensorBoard summary.
public struct TensorBoardScalar: Equatable, Sendable {
    public var tag: String
    public var value: Float

    public init(_ tag: String, _ value: Double) {
        self.tag = tag
        self.value = Float(value)
    }
}

/// Writes a TensorBoard event file (`events.out.tfevents.*`): TFRecord framing (the length as a little-endian
/// uint64, its masked CRC-32C, the data, the data's masked CRC-32C) around `Event` protocol messages
/// (`wall_time` = 1, `step` = 2, `file_version` = 3, `summary` = 5; `Summary.value` = 1; `Value.tag` = 1,
/// `Value.simple_value` = 2). The first event holds `file_version: "brain.Event:2"`. Every event is written
/// to the file at once (no buffering), so TensorBoard sees training as it goes.
public final class EventFileWriter {
    /// The file written.
    public let url: URL
    private let handle: FileHandle

    /// Creates `directory` as needed and a new event file in it, named as TensorBoard's writers name theirs.
    public init(directory: URL, wallTime: Double = Date().timeIntervalSince1970) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        url = directory.appendingPathComponent("events.out.tfevents.\(Int(wallTime)).\(host).\(getpid()).rnnlab")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        var version = ProtobufWriter()
        version.double(1, wallTime)
        version.string(3, "brain.Event:2")
        try write(record: version.bytes)
    }

    deinit { try? handle.close() }

    /// One event: the scalars at `step`.
    public func write(step: Int, scalars: [TensorBoardScalar], wallTime: Double = Date().timeIntervalSince1970) throws {
        guard !scalars.isEmpty else { return }
        var summary = ProtobufWriter()
        for scalar in scalars {
            var value = ProtobufWriter()
            value.string(1, scalar.tag)
            value.float(2, scalar.value)
            summary.bytes(1, value.bytes)
        }
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.int64(2, Int64(step))
        event.bytes(5, summary.bytes)
        try write(record: event.bytes)
    }

    /// Frames `data` as one TFRecord and appends it.
    private func write(record data: [UInt8]) throws {
        var framed: [UInt8] = []
        framed.reserveCapacity(data.count + 16)
        let length = Array(withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) })
        framed += length
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { framed += $0 }
        framed += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { framed += $0 }
        try handle.write(contentsOf: framed)
    }
}
