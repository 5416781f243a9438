import Foundation
import XCTest
@testable import RNNLabReports

/// Every SVG a report renders goes through a real SVG renderer, `rsvg-convert` (Debian's librsvg2-bin): it must
/// accept the file and draw a PNG of the size the SVG declares. Set RNNLAB_PLOT_DIR to a folder to keep the PNGs
/// there for looking at them.
final class SVGRenderingTests: XCTestCase {
    /// `rsvg-convert` on PATH; the test fails (it does not skip) without it.
    func renderer() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let found = path.split(separator: ":").map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        return try XCTUnwrap(found, "rsvg-convert is not on PATH: `make deps` installs librsvg2-bin")
    }

    /// The width and height the root `<svg>` element declares.
    func declaredSize(_ svg: String) throws -> (width: Int, height: Int) {
        let root = try XCTUnwrap(svg.components(separatedBy: ">").first)
        func attribute(_ name: String) throws -> Int {
            let text = try XCTUnwrap(root.components(separatedBy: " \(name)=\"").dropFirst().first?.prefix { $0 != "\"" })
            return try XCTUnwrap(Int(text), "\(name)=\"\(text)\"")
        }
        return (try attribute("width"), try attribute("height"))
    }

    /// The width and height in a PNG's IHDR chunk (bytes 16–23, big-endian), after checking the signature.
    func pngSize(_ data: Data) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](data)
        XCTAssertGreaterThan(bytes.count, 33)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR")
        func integer(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (integer(16), integer(20))
    }

    func render(_ svg: String, named name: String, with renderer: String, in directory: URL) throws {
        let input = directory.appendingPathComponent(name), output = input.deletingPathExtension().appendingPathExtension("png")
        try svg.write(to: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: renderer)
        process.arguments = ["--format", "png", "--output", output.path, input.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(name): \(message)")
        let png = try Data(contentsOf: output)
        XCTAssertFalse(png.isEmpty, name)
        let size = try pngSize(png), declared = try declaredSize(svg)
        XCTAssertEqual(size.width, declared.width, name)
        XCTAssertEqual(size.height, declared.height, name)
        if let keep = ProcessInfo.processInfo.environment["RNNLAB_PLOT_DIR"], !keep.isEmpty {
            let target = URL(fileURLWithPath: keep).appendingPathComponent(name).deletingPathExtension().appendingPathExtension("png")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: output, to: target)
        }
    }

    func testEveryReportSVGRendersWithRsvgConvert() throws {
        let renderer = try renderer()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let reports = [("groups", try PlotFixtures.threeGroups()), ("log", try PlotFixtures.logMetric()), ("twelve", try PlotFixtures.twelveArms())]
        var rendered = 0
        for (prefix, report) in reports {
            let svgs = report.files.filter { $0.name.hasSuffix(".svg") }
            XCTAssertTrue(Set(svgs.map(\.name)).isSuperset(of: ["final.svg", "curves.svg", "grad_norm.svg"]), "\(svgs.map(\.name))")
            for file in svgs {
                try render(file.text, named: "\(prefix)-\(file.name)", with: renderer, in: directory)
                rendered += 1
            }
        }
        let heatMap = AttentionHeatMap(title: "attention of `LSTM + attention` on a test example <eos> & more",
                                       sourceTokens: ["3", "1", "4", "<eos>"], outputTokens: ["3", "1", "4", "<eos>"],
                                       weights: [[0.7, 0.1, 0.1, 0.1], [0.1, 0.8, 0.05, 0.05], [0, 0, 1, 0], [0.25, 0.25, 0.25, 0.25]])
        try render(heatMap.render(), named: "attention.svg", with: renderer, in: directory)
        XCTAssertEqual(rendered, 9)
    }
}
