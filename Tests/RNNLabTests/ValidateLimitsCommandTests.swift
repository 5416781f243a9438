import Foundation
import XCTest

/// `rnnlab validate` on experiment files built to hang, crash or mislead it: alias bombs,
/// nesting deepened by aliases, sweeps of hundreds of thousands of runs, metrics the task
/// does not report. Each is a located error within a time limit, the process killed past it.
/// The limits are generous for a loaded debug build; before the limits existed these files
/// took from 30 s to minutes, or crashed.
final class ValidateLimitsCommandTests: XCTestCase {
    var rnnlab: CLI!

    override func setUpWithError() throws {
        rnnlab = try CLI(for: self)
    }

    static let sections = """
        name: limits
        task: {kind: adding, length: 20, training_examples: 500, evaluation_examples: 100}
        model: {cell: lstm, hidden_size: 16}
        training: {epochs: 1, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}

        """

    /// Writes `text` to `name` in the working directory and validates it, killing `rnnlab` after `limit` seconds.
    func validate(_ name: String, _ text: String, within limit: TimeInterval,
                  file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, output: String) {
        try text.write(to: rnnlab.workDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let result = try rnnlab.run(["validate", name], killingAfter: limit * 4)
        XCTAssertLessThan(result.seconds, limit, "rnnlab validate \(name) took \(result.seconds) s: \(result.output.prefix(300))",
                          file: file, line: line)
        XCTAssertFalse(result.output.contains("crashed"), String(result.output.prefix(1000)), file: file, line: line)
        return (result.status, result.output)
    }

    func testAnAliasBombIsALocatedErrorAtOnce() throws {
        // Eight levels of ten aliases: 10^8 values once expanded, from nine lines.
        var text = Self.sections + "description: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let result = try validate("bomb.yaml", text, within: 3)
        XCTAssertEqual(result.status, 1, result.output)
        // a4 is the first anchor past 100000 values (a0 has 11, each level ten times more).
        XCTAssertTrue(result.output.hasPrefix("bomb.yaml:9:5: a4: the file has more than 100000 values once its YAML aliases are expanded"),
                      result.output)
    }

    func testAnAliasBombAsAKeyIsALocatedErrorAtOnce() throws {
        // Yams would hash the 10^8 values of the key to look for duplicate keys.
        var text = Self.sections + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...7 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "a8: {*a7 : x, y: 1}\n"
        let result = try validate("keys.yaml", text, within: 3)
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.hasPrefix("keys.yaml:13:6: a8: a key that is an alias, or a list or mapping, is not supported"), result.output)
    }

    func testNestingDeepenedByAliasesIsALocatedErrorNotACrash() throws {
        // Each anchor wraps the previous one in 900 lists: 50000 levels from a 100 KB file.
        var text = Self.sections + "a0: &a0 x\n"
        for level in 1...55 {
            text += "a\(level): &a\(level) " + String(repeating: "[", count: 900) + "*a\(level - 1)" + String(repeating: "]", count: 900) + "\n"
        }
        text += "description: *a55\n"
        let result = try validate("deep.yaml", text, within: 5)
        XCTAssertEqual(result.status, 1, String(result.output.prefix(1000)))
        XCTAssertTrue(result.output.hasPrefix("deep.yaml:6:40: a1: lists and mappings nest deeper than 32 levels"), String(result.output.prefix(300)))
    }

    func testDeepNestingInTheTextIsALocatedError() throws {
        let text = Self.sections + "description: " + String(repeating: "[", count: 900) + "x" + String(repeating: "]", count: 900) + "\n"
        let result = try validate("nested.yaml", text, within: 3)
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.hasPrefix("nested.yaml:5:45: description: lists and mappings nest deeper than 32 levels (the limit of an experiment file)"),
                      String(result.output.prefix(300)))
    }

    /// A compare grid of `rows` × `columns` values.
    func grid(_ rows: Int, _ columns: Int, seeds: Int) -> String {
        Self.sections + "compare:\n"
            + "  training.optimizer.learning_rate: [" + (1...rows).map { "\(Double($0) / 1000)" }.joined(separator: ", ") + "]\n"
            + "  model.hidden_size: [" + (1...columns).map(String.init).joined(separator: ", ") + "]\n"
            + "seeds: \(seeds)\n"
    }

    func testAHugeSweepIsRejectedWithItsRunCountBeforeItIsBuilt() throws {
        let result = try validate("huge.yaml", grid(300, 300, seeds: 3), within: 3)
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.hasPrefix("huge.yaml:6:3: compare: the sweep has 270000 runs per profile (300 × 300 grid points × 3 seeds), "
                                              + "more than the limit of 100000"), result.output)
    }

    func testSweepsUpToTheLimitValidateInTimeLinearInTheirRuns() throws {
        let small = try validate("small.yaml", grid(50, 67, seeds: 3), within: 3)
        XCTAssertEqual(small.output, "ok small.yaml (10050 runs)\n")
        // At the limit: 100000 runs (before, 14 s unloaded, 30 s on a loaded machine).
        let limit = try validate("limit.yaml", grid(100, 100, seeds: 10), within: 10)
        XCTAssertEqual(limit.output, "ok limit.yaml (100000 runs)\n")
    }

    func testMetricsTheTaskDoesNotReportAreRejectedBeforeAnythingRuns() throws {
        let accuracy = try validate("accuracy.yaml", Self.sections + "report: {metric: accuracy}\n", within: 3)
        XCTAssertEqual(accuracy.status, 1, accuracy.output)
        XCTAssertTrue(accuracy.output.hasPrefix("accuracy.yaml:5:18: report.metric: 'accuracy' is not a metric of adding (metrics: mse, mae, loss, train_loss, clipped_fraction, median_grad_norm)"),
                      accuracy.output)
        let columns = try validate("columns.yaml", Self.sections + "report: {metric: mse, columns: [mae, perplexity]}\n", within: 3)
        XCTAssertTrue(columns.output.hasPrefix("columns.yaml:5:38: report.columns: 'perplexity' is not a metric of adding"), columns.output)
        let success = try validate("success.yaml", Self.sections + "report: {success: {metric: msee, below: 0.1}}\n", within: 3)
        XCTAssertTrue(success.output.hasPrefix("success.yaml:5:28: report.success.metric: 'msee' is not a metric of adding"), success.output)
        XCTAssertTrue(success.output.contains("did you mean 'mse'?"), success.output)
        let reference = try validate("reference.yaml", Self.sections + "reference:\n  - {metric: maee, value: 0.1, tolerance: 0.1, source: Paper}\n",
                                     within: 3)
        XCTAssertTrue(reference.output.hasPrefix("reference.yaml:6:14: reference.metric: 'maee' is not a metric of adding"), reference.output)
        XCTAssertTrue(reference.output.contains("did you mean 'mae'?"), reference.output)
        let samples = try validate("samples.yaml", Self.sections + "report: {metric: mse, samples: {length: 100}}\n", within: 3)
        XCTAssertEqual(samples.status, 1, samples.output)
        XCTAssertTrue(samples.output.hasPrefix("samples.yaml:5:32: report.samples: samples are text generated by language_model runs; "
                                               + "adding runs generate none"), samples.output)
    }
}

extension CLI {
    /// Runs `rnnlab ARGUMENTS`, killed if it is still running after `seconds`;
    /// returns its status, combined output and the seconds it took.
    func run(_ arguments: [String], killingAfter seconds: TimeInterval) throws -> (status: Int32, output: String, seconds: Double) {
        let outputURL = workDirectory.appendingPathComponent("output-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = arguments
        process.currentDirectoryURL = workDirectory
        process.standardOutput = output
        process.standardError = output
        let start = Date()
        try process.run()
        while process.isRunning && Date().timeIntervalSince(start) < seconds { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(start)
        return (process.terminationStatus, (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "", elapsed)
    }
}
