import Foundation

/// An array read from an IDX file (LeCun's MNIST format, also Fashion-MNIST's): its dimensions and its
/// unsigned bytes in row-major order.
public struct IDXArray: Equatable, Sendable {
    public var dimensions: [Int]
    public var values: [UInt8]

    public init(dimensions: [Int], values: [UInt8]) {
        self.dimensions = dimensions
        self.values = values
    }
}

/// Reads IDX files: a 4-byte magic number 0x00 0x00 TYPE RANK, RANK big-endian 32-bit dimensions, then the
/// values. Only TYPE 0x08 (unsigned byte), the type of every MNIST-like file, is accepted. A file that
/// starts with the gzip signature (1f 8b), as distributed, is decompressed first (by `gzip -dc`).
/// Every error names the file and what is wrong with it.
public enum IDXFile {
    /// The array in `url`, checked to have `rank` dimensions when given.
    public static func load(contentsOf url: URL, rank expectedRank: Int? = nil) throws -> IDXArray {
        let raw: Data
        do { raw = try Data(contentsOf: url) } catch {
            throw DataError.unreadable(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let data = raw.starts(with: [0x1f, 0x8b]) ? try gunzip(url) : raw
        return try parse([UInt8](data), path: url.path, rank: expectedRank)
    }

    /// Parses the bytes of an IDX file (`path` names it in errors).
    public static func parse(_ bytes: [UInt8], path: String, rank expectedRank: Int? = nil) throws -> IDXArray {
        func fail(_ reason: String) -> DataError { .malformed(path: path, line: nil, column: nil, reason: reason) }
        guard bytes.count >= 4 else { throw fail("truncated: \(bytes.count) bytes, shorter than the 4-byte IDX magic number") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            let magic = bytes[0..<4].map { String(format: "%02x", $0) }.joined(separator: " ")
            throw fail("bad magic number \(magic): an IDX file starts with 00 00 TYPE RANK")
        }
        guard bytes[2] == 0x08 else {
            throw fail("element type 0x\(String(format: "%02x", bytes[2])) is not supported (only 0x08, unsigned byte)")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else { throw fail("rank 0: an IDX array needs at least one dimension") }
        if let expectedRank, rank != expectedRank { throw fail("rank \(rank), expected \(expectedRank)") }
        let header = 4 + 4 * rank
        guard bytes.count >= header else { throw fail("truncated: the header needs \(header) bytes, the file has \(bytes.count)") }
        let dimensions = (0..<rank).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) }
        }
        let count = dimensions.reduce(1, *)
        guard bytes.count >= header + count else {
            throw fail("truncated: dimensions \(dimensions.map(String.init).joined(separator: "×")) need \(count) values, the file holds \(bytes.count - header)")
        }
        guard bytes.count == header + count else {
            throw fail("\(bytes.count - header - count) bytes after the \(count) values of dimensions \(dimensions.map(String.init).joined(separator: "×"))")
        }
        return IDXArray(dimensions: dimensions, values: Array(bytes[header...]))
    }

    private static func gunzip(_ url: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DataError.unreadable(path: url.path, reason: "gzip-compressed, and gzip could not be run: \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DataError.malformed(path: url.path, line: nil, column: nil,
                                      reason: "gzip-compressed but not decompressible (gzip exited with status \(process.terminationStatus))")
        }
        return data
    }
}

/// Labelled images from a pair of IDX files: images [N, rows, columns] (rank 3) and labels [N] (rank 1).
public struct LabelledImages: Equatable, Sendable {
    public var count: Int
    public var rows: Int
    public var columns: Int
    /// Pixel bytes, image after image, row-major.
    public var pixels: [UInt8]
    public var labels: [UInt8]

    public init(count: Int, rows: Int, columns: Int, pixels: [UInt8], labels: [UInt8]) {
        self.count = count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.labels = labels
    }

    /// Reads and checks a pair of IDX files (the label count must equal the image count).
    public static func load(images: URL, labels: URL) throws -> LabelledImages {
        let imageArray = try IDXFile.load(contentsOf: images, rank: 3)
        let labelArray = try IDXFile.load(contentsOf: labels, rank: 1)
        guard labelArray.dimensions[0] == imageArray.dimensions[0] else {
            throw DataError.malformed(path: labels.path, line: nil, column: nil,
                                      reason: "\(labelArray.dimensions[0]) labels for the \(imageArray.dimensions[0]) images of \(images.path)")
        }
        return LabelledImages(count: imageArray.dimensions[0], rows: imageArray.dimensions[1], columns: imageArray.dimensions[2],
                              pixels: imageArray.values, labels: labelArray.values)
    }
}
