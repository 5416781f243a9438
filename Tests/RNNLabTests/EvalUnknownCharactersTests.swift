import Foundation
import XCTest

/// `rnnlab eval` of a character model on a text with characters its vocabulary lacks.
final class EvalUnknownCharactersTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }
    var environment: [String: String] { ["RNNLAB_DATA_MIRROR": CLI.mirrorPath] }

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: CLI.mirrorPath) else { throw XCTSkip("data mirror not found at \(CLI.mirrorPath)") }
        cli = try CLI(for: self)
    }

    /// The JSON line of an eval's output (notes go to standard error, which `cli` merges in).
    func metricsLine(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init)
    }

    func testUnseenCharactersAreNamedWithFileAndLineOrSkippedAndCounted() throws {
        // The Time Machine has the digits 1, 8 and 9 but no 7.
        let train = try cli(["train", "--task", "language_model", "--data-set", "timemachine", "--steps", "50", "--hidden", "4",
                             "--cell", "gru", "--epochs", "1", "--batch-size", "512", "--output", "lm.h5"], environment: environment)
        XCTAssertEqual(train.status, 0, train.output)
        let novel = work.appendingPathComponent("novel.txt")
        try "the time traveller\nsaid 77 times, in 1897.\n".write(to: novel, atomically: true, encoding: .utf8)
        try "the time traveller\nsaid  times, in 189.\n".write(to: work.appendingPathComponent("clean.txt"), atomically: true, encoding: .utf8)

        let rejected = try cli(["eval", "lm.h5", "--data", "novel.txt"], environment: environment)
        XCTAssertNotEqual(rejected.status, 0)
        XCTAssertTrue(rejected.output.contains("\(novel.path):2: character '7' (U+0037) is not in the vocabulary"), rejected.output)
        let explicit = try cli(["eval", "lm.h5", "--data", "novel.txt", "--unknown", "error"], environment: environment)
        XCTAssertEqual(explicit.output, rejected.output)

        let skipped = try cli(["eval", "lm.h5", "--data", "novel.txt", "--unknown", "skip"], environment: environment)
        XCTAssertEqual(skipped.status, 0, skipped.output)
        XCTAssertTrue(skipped.output.contains("skipped 3 characters not in the run's vocabulary: '7' (U+0037)"), skipped.output)
        let clean = try cli(["eval", "lm.h5", "--data", "clean.txt"], environment: environment)
        XCTAssertEqual(clean.status, 0, clean.output)
        XCTAssertFalse(clean.output.contains("skipped"), clean.output)
        XCTAssertEqual(try XCTUnwrap(metricsLine(skipped.output)), try XCTUnwrap(metricsLine(clean.output)),
                       "skipping scores the text without those characters")

        let mapped = try cli(["eval", "lm.h5", "--data", "novel.txt", "--unknown", "map"], environment: environment)
        XCTAssertNotEqual(mapped.status, 0)
        XCTAssertTrue(mapped.output.contains("the character vocabulary has no unknown token"), mapped.output)
        let help = try cli(["eval", "--help"])
        XCTAssertTrue(help.output.contains("--unknown <error|skip|map>"), help.output)
    }
}
