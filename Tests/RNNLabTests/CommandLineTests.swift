import Foundation
import RNNLabLayers
import RNNLabRunStore
import RealModule
import XCTest

/// The `rnnlab` command, run as a user would run it.
final class CommandLineTests: XCTestCase {
    var rnnlab: CLI!
    var workDirectory: URL { rnnlab.workDirectory }

    override func setUpWithError() throws {
        rnnlab = try CLI(for: self)
    }

    func testTrainThenReadTheRunFile() throws {
        let result = try rnnlab(["train", "--task", "adding", "--length", "6", "--hidden", "4", "--epochs", "2",
                                 "--batch-size", "50", "--output", "runs/a.h5"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("epoch 2:"), result.output)
        XCTAssertTrue(result.output.contains("complete: runs/a.h5"), result.output)
        let run = try RunFile.read(from: workDirectory.appendingPathComponent("runs/a.h5").path)
        XCTAssertEqual(run.epochs.count, 2)
        XCTAssertEqual(run.configuration.model.cell, .lstm)
    }

    func testBadInputGetsAClearMessage() throws {
        let cell = try rnnlab(["train", "--task", "adding", "--cell", "lstmm"])
        XCTAssertNotEqual(cell.status, 0)
        XCTAssertTrue(cell.output.contains("unknown cell 'lstmm'"), cell.output)
        let dataSet = try rnnlab(["train", "--task", "music", "--data-set", "jsb_chorals", "--epochs", "1"])
        XCTAssertNotEqual(dataSet.status, 0)
        XCTAssertTrue(dataSet.output.contains("did you mean 'jsb_chorales'"), dataSet.output)
        let missing = try rnnlab(["data", "verify", "sst2", "--data-dir", "empty"], environment: ["RNNLAB_DATA_MIRROR": ""])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.output.contains("sst2/train.tsv: missing"), missing.output)
        let fetch = try rnnlab(["data", "fetch", "sst2", "--data-dir", "empty"], environment: ["RNNLAB_DATA_MIRROR": ""])
        XCTAssertNotEqual(fetch.status, 0)
        XCTAssertTrue(fetch.output.contains("RNNLAB_DATA_MIRROR is not set"), fetch.output)
        let notARun = try rnnlab(["sample", "nothing.h5"])
        XCTAssertNotEqual(notARun.status, 0)
        XCTAssertTrue(notARun.output.contains("nothing.h5"), notARun.output)
    }

    func testTrainAndSampleALanguageModelFromTheMirror() throws {
        let mirrorPath = CLI.mirrorPath
        guard FileManager.default.fileExists(atPath: mirrorPath) else { throw XCTSkip("data mirror not found at \(mirrorPath)") }
        let environment = ["RNNLAB_DATA_MIRROR": mirrorPath]
        let train = try rnnlab(["train", "--task", "language_model", "--data-set", "timemachine", "--steps", "20", "--hidden", "16",
                                "--cell", "gru", "--epochs", "1", "--batch-size", "64", "--learning-rate", "0.01", "--output", "lm.h5"],
                               environment: environment)
        XCTAssertEqual(train.status, 0, train.output)
        XCTAssertTrue(train.output.contains("test perplexity at the best epoch"), train.output)
        let sample = try rnnlab(["sample", "lm.h5", "--prime", "the time", "--length", "40", "--seed", "3"], environment: environment)
        XCTAssertEqual(sample.status, 0, sample.output)
        XCTAssertTrue(sample.output.hasPrefix("the time"), sample.output)
        XCTAssertGreaterThanOrEqual(sample.output.count, 48)
        // Evaluate the stored weights on another text: perplexity = exp(loss).
        try "the time traveller smiled. the time machine was there.".write(to: workDirectory.appendingPathComponent("other.txt"),
                                                                            atomically: true, encoding: .utf8)
        let eval = try rnnlab(["eval", "lm.h5", "--data", "other.txt"], environment: environment)
        XCTAssertEqual(eval.status, 0, eval.output)
        let metrics = try JSONDecoder().decode([String: Double].self, from: Data(eval.output.utf8))
        XCTAssertEqual(try XCTUnwrap(metrics["perplexity"]), Double.exp(try XCTUnwrap(metrics["loss"])), accuracy: 1e-9)
        let shown = try rnnlab(["show", "lm.h5", "--json"], environment: environment)
        XCTAssertTrue(shown.output.contains("\"status\": \"complete\""), shown.output)
        let list = try rnnlab(["data", "list"], environment: environment)
        XCTAssertTrue(list.output.contains("timemachine") && list.output.contains("ok"), list.output)
    }

    func testRunAndDecodeASequenceToSequenceExperiment() throws {
        try """
        name: tiny-reversal
        task: {kind: reversal, max_training_length: 3, test_lengths: [3, 5], training_examples: 400, validation_examples: 40, test_examples_per_length: 20}
        model: {kind: seq2seq, cell: gru, hidden_size: 16, attention: dot, embedding: 8}
        training: {epochs: 2, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
        report: {metric: exact_match, direction: higher, columns: [token_accuracy, exact_match_len_5]}
        """.write(to: workDirectory.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let run = try rnnlab(["run", "tiny.yaml", "--results", "results"])
        XCTAssertEqual(run.status, 0, run.output)
        let runs = workDirectory.appendingPathComponent("results/tiny-reversal/runs")
        let files = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        XCTAssertEqual(files.count, 1)
        let report = try String(contentsOf: workDirectory.appendingPathComponent("results/tiny-reversal/REPORT.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("test exact_match_len_5"), report)
        XCTAssertTrue(report.contains("## Exact match by test length") && report.contains("## Attention"), report)
        for figure in ["accuracy_by_length.svg", "attention-1-1.svg", "attention-1-2.svg"] {
            let svg = try String(contentsOf: workDirectory.appendingPathComponent("results/tiny-reversal/\(figure)"), encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"), figure)
        }
        let path = "results/tiny-reversal/runs/\(files[0])"
        let sample = try rnnlab(["sample", path, "--input", "abc"])
        XCTAssertEqual(sample.status, 0, sample.output)
        let decoded = sample.output.trimmingCharacters(in: .newlines)
        XCTAssertTrue(decoded.allSatisfy { "abcdefghij".contains($0) } && decoded.count <= 200, sample.output)
        let beam = try rnnlab(["sample", path, "--input", "abc", "--beam-width", "3", "--length-penalty", "1"])
        XCTAssertEqual(beam.status, 0, beam.output)
        let noInput = try rnnlab(["sample", path])
        XCTAssertNotEqual(noInput.status, 0)
        XCTAssertTrue(noInput.output.contains("--input"), noInput.output)
        let badInput = try rnnlab(["sample", path, "--input", "ab7"])
        XCTAssertNotEqual(badInput.status, 0)
        XCTAssertTrue(badInput.output.contains("\"7\" is not in the task's vocabulary"), badInput.output)
    }
}
