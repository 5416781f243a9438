import Foundation
import RNNLabData
import XCTest

/// IDX files (MNIST's format): small files written here, every malformation with its message, gzip-compressed
/// files, and Fashion-MNIST itself where Debian's `dataset-fashion-mnist` has installed it.
final class IDXLoaderTests: XCTestCase {
    /// The bytes of an IDX file of unsigned bytes with the given dimensions and values.
    func idx(_ dimensions: [Int], _ values: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
        return bytes + values
    }

    func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func testReadsImagesAndLabels() throws {
        let directory = try temporaryDirectory(self)
        let pixels = (0..<(3 * 2 * 4)).map { UInt8($0 * 10) }
        let images = try write(idx([3, 2, 4], pixels), "images-idx3-ubyte", in: directory)
        let labels = try write(idx([3], [7, 0, 9]), "labels-idx1-ubyte", in: directory)
        let set = try LabelledImages.load(images: images, labels: labels)
        XCTAssertEqual([set.count, set.rows, set.columns], [3, 2, 4])
        XCTAssertEqual(set.pixels, pixels)
        XCTAssertEqual(set.labels, [7, 0, 9])
        // The same file gzip-compressed, as distributed, reads the same.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-k", images.path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(try IDXFile.load(contentsOf: images.appendingPathExtension("gz")), IDXArray(dimensions: [3, 2, 4], values: pixels))
    }

    func testMalformedFilesNameTheFileAndTheProblem() throws {
        let directory = try temporaryDirectory(self)
        let cases: [(bytes: [UInt8], rank: Int?, expected: String)] = [
            ([0x1f], nil, "truncated: 1 bytes"),
            ([0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 5], nil, "bad magic number 12 34 08 01"),
            (idx([1], [5], type: 0x0d), nil, "element type 0x0d is not supported"),
            (Array(idx([2, 2], [1, 2, 3, 4]).prefix(8)), nil, "truncated: the header needs 12 bytes"),
            (idx([2, 3], [1, 2, 3]), nil, "truncated: dimensions 2×3 need 6 values, the file holds 3"),
            (idx([2], [1, 2, 3]), nil, "1 bytes after the 2 values"),
            (idx([4], [1, 2, 3, 4]), 3, "rank 1, expected 3"),
        ]
        for (index, item) in cases.enumerated() {
            let url = try write(item.bytes, "bad-\(index)", in: directory)
            XCTAssertThrowsError(try IDXFile.load(contentsOf: url, rank: item.rank)) { error in
                XCTAssertTrue("\(error)".contains(url.path), "\(error)")
                XCTAssertTrue("\(error)".contains(item.expected), "case \(index): \(error)")
            }
        }
        let images = try write(idx([2, 1, 1], [1, 2]), "images", in: directory)
        let labels = try write(idx([3], [1, 2, 3]), "labels", in: directory)
        XCTAssertThrowsError(try LabelledImages.load(images: images, labels: labels)) { error in
            XCTAssertTrue("\(error)".contains("\(labels.path): 3 labels for the 2 images"), "\(error)")
        }
        let missing = directory.appendingPathComponent("absent")
        XCTAssertThrowsError(try IDXFile.load(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
        }
    }

    /// Fashion-MNIST as Debian installs it: 60,000 training and 10,000 test images of 28×28, labels 0…9, each
    /// class 6,000 times in the training set (Xiao et al. 2017).
    func testFashionMNISTFromTheDebianPackage() throws {
        let descriptor = try DataRegistry.descriptor(named: "fashion_mnist")
        let paths = descriptor.files.compactMap(\.systemPath)
        XCTAssertEqual(paths.count, 4)
        guard paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("dataset-fashion-mnist is not installed (make deps installs it)")
        }
        let urls = paths.map { URL(fileURLWithPath: $0) }
        let training = try LabelledImages.load(images: urls[0], labels: urls[1])
        let test = try LabelledImages.load(images: urls[2], labels: urls[3])
        XCTAssertEqual([training.count, training.rows, training.columns, test.count], [60_000, 28, 28, 10_000])
        var counts = [Int](repeating: 0, count: 10)
        for label in training.labels { counts[Int(label)] += 1 }
        XCTAssertEqual(counts, [Int](repeating: 6_000, count: 10))
        // The data directory fills itself from the system path.
        let root = try temporaryDirectory(self)
        let filled = try DataDirectory(explicit: root.path, environment: [:], workingDirectory: root).ensure(descriptor)
        XCTAssertEqual(filled.map(\.lastPathComponent), paths.map { URL(fileURLWithPath: $0).lastPathComponent })
    }
}
