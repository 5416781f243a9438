import Foundation
import RNNLabHDF5
import XCTest

final class HDF5FileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-hdf5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes one file with every kind of content.
    func writeSample(at filePath: String) throws {
        let file = try HDF5File.create(at: filePath)
        try file.write([Float](arrayLiteral: 1.5, -2, 3.25, 4, 5, 6), shape: [2, 3], at: "/weights/rnn.weight_ih_l0")
        try file.write([Double.pi], shape: [], at: "/final/test_loss")
        try file.write([Int64(7), 8, 9], shape: [3], at: "/ints")
        try file.write([UInt8](arrayLiteral: 0, 255), shape: [2], at: "/bytes")
        try file.writeString("{\"cell\": \"lstm\", \"note\": \"Zaremba–2014 ✓\"}", at: "/config")
        try file.createExtendable("/metrics/step/loss", of: Float.self, chunk: 4)
        try file.append([Float](arrayLiteral: 3, 2.5), to: "/metrics/step/loss")
        try file.append([Float](arrayLiteral: 2, 1.75, 1.5), to: "/metrics/step/loss")
        try file.setAttribute("format", "rnnlab-run", on: "/")
        try file.setAttribute("version", Int64(1), on: "/")
        try file.setAttribute("learning_rate", 0.001, on: "/config")
        try file.setAttribute("splits", strings: ["train", "valid", "test ✓"], on: "/metrics")
        file.close()
    }

    func testRoundTripOfEveryKind() throws {
        let filePath = path("sample.h5")
        try writeSample(at: filePath)
        let file = try HDF5File.open(at: filePath)
        let weights = try file.read("/weights/rnn.weight_ih_l0", as: Float.self)
        XCTAssertEqual(weights.shape, [2, 3])
        XCTAssertEqual(weights.values, [1.5, -2, 3.25, 4, 5, 6])
        XCTAssertEqual(try file.read("/weights/rnn.weight_ih_l0", as: Double.self).values[2], 3.25, "converted on read")
        let scalar = try file.read("/final/test_loss", as: Double.self)
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.values, [Double.pi])
        XCTAssertEqual(try file.read("/ints", as: Int64.self).values, [7, 8, 9])
        XCTAssertEqual(try file.read("/bytes", as: UInt8.self).values, [0, 255])
        XCTAssertEqual(try file.readString("/config"), "{\"cell\": \"lstm\", \"note\": \"Zaremba–2014 ✓\"}")
        XCTAssertEqual(try file.read("/metrics/step/loss", as: Float.self).values, [3, 2.5, 2, 1.75, 1.5])
        XCTAssertEqual(try file.stringAttribute("format", on: "/"), "rnnlab-run")
        XCTAssertEqual(try file.intAttribute("version", on: "/"), 1)
        XCTAssertEqual(try file.doubleAttribute("learning_rate", on: "/config"), 0.001)
        XCTAssertEqual(try file.stringsAttribute("splits", on: "/metrics"), ["train", "valid", "test ✓"])
        XCTAssertEqual(try file.attributeNames(on: "/"), ["format", "version"])
        XCTAssertEqual(try file.children(of: "/"), ["bytes", "config", "final", "ints", "metrics", "weights"])
        XCTAssertEqual(try file.children(of: "/metrics"), ["step"])
        XCTAssertTrue(file.exists("/metrics/step/loss"))
        XCTAssertFalse(file.exists("/metrics/epoch/loss"))
        XCTAssertFalse(file.exists("/nowhere/deep/below"))
    }

    func testAppendAfterReopeningAndOverwriting() throws {
        let filePath = path("append.h5")
        try writeSample(at: filePath)
        let file = try HDF5File.open(at: filePath, writable: true)
        try file.append([Float](arrayLiteral: 1.25), to: "/metrics/step/loss")
        try file.setAttribute("format", "replaced", on: "/")
        try file.write([Float](arrayLiteral: 0), shape: [1], at: "/weights/rnn.weight_ih_l0")
        file.close()
        let reopened = try HDF5File.open(at: filePath)
        XCTAssertEqual(try reopened.read("/metrics/step/loss", as: Float.self).values, [3, 2.5, 2, 1.75, 1.5, 1.25])
        XCTAssertEqual(try reopened.stringAttribute("format", on: "/"), "replaced")
        XCTAssertEqual(try reopened.shape(of: "/weights/rnn.weight_ih_l0"), [1])
    }

    func testErrorsNameTheFileAndObject() throws {
        let missing = path("missing.h5")
        XCTAssertThrowsError(try HDF5File.open(at: missing)) { error in
            XCTAssertEqual(error as? HDF5Error, .cannotOpen(path: missing, reason: "no such file"))
            XCTAssertTrue("\(error)".contains(missing))
        }
        let notHDF5 = path("text.h5")
        try "hello".write(toFile: notHDF5, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HDF5File.open(at: notHDF5)) { error in
            XCTAssertTrue("\(error)".contains("not an HDF5 file"), "\(error)")
        }
        let filePath = path("sample.h5")
        try writeSample(at: filePath)
        // A truncated copy is detected, never trusted.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: filePath))
        let truncated = path("truncated.h5")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try HDF5File.open(at: truncated).read("/metrics/step/loss", as: Float.self))
        let file = try HDF5File.open(at: filePath)
        XCTAssertThrowsError(try file.read("/weights/absent", as: Float.self)) { error in
            XCTAssertEqual(error as? HDF5Error, .notFound(file: filePath, object: "/weights/absent"))
        }
        XCTAssertThrowsError(try file.read("/config", as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("not a numeric dataset"), "\(error)")
        }
        XCTAssertThrowsError(try file.stringAttribute("version", on: "/"))
        // A single-value reader on an array attribute is a mismatch (not a buffer overrun).
        XCTAssertThrowsError(try file.stringAttribute("splits", on: "/metrics")) { error in
            XCTAssertTrue("\(error)".contains("attribute of another type"), "\(error)")
        }
        XCTAssertThrowsError(try file.write([Float](arrayLiteral: 1, 2), shape: [3], at: "/x"))
        XCTAssertThrowsError(try HDF5File.create(at: directory.appendingPathComponent("no/such/dir.h5").path))
    }

    func testSameContentGivesByteIdenticalFiles() throws {
        try writeSample(at: path("a.h5"))
        try writeSample(at: path("b.h5"))
        let a = try Data(contentsOf: URL(fileURLWithPath: path("a.h5")))
        let b = try Data(contentsOf: URL(fileURLWithPath: path("b.h5")))
        XCTAssertGreaterThan(a.count, 1000)
        XCTAssertEqual(a, b)
    }

    func testH5dumpReadsTheFile() throws {
        let filePath = path("dump.h5")
        try writeSample(at: filePath)
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
            .split(separator: ":").map { "\($0)/h5dump" } + ["/usr/bin/h5dump"]
        guard let h5dump = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return XCTFail("h5dump not found on PATH: install hdf5-tools (`make deps` does)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h5dump)
        process.arguments = [filePath]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        for expected in ["DATASET \"rnn.weight_ih_l0\"", "3.25", "DATASET \"loss\"", "1.75", "\"rnnlab-run\"",
                         "Zaremba", "ATTRIBUTE \"splits\"", "H5T_STD_I64LE"] {
            XCTAssertTrue(output.contains(expected), "h5dump output lacks \(expected)")
        }
    }

    func testLibraryVersion() {
        XCTAssertTrue(HDF5Library.version.hasPrefix("1."), HDF5Library.version)
    }
}
