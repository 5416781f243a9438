import Foundation
import RNNLabRunStore
import XCTest

/// A language model whose loss is finite but whose perplexity exp(loss) overflows to infinity: its checkpoint
/// is written like any other, so a run killed after its first epoch resumes to the uninterrupted run's bits.
final class OverflowingPerplexityEndToEndTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }
    var environment: [String: String] { ["RNNLAB_DATA_MIRROR": CLI.mirrorPath] }

    /// SGD with a huge learning rate: after the first updates the logits are thousands apart, so the mean NLL
    /// per character is far above log(Double.greatestFiniteMagnitude) ≈ 709.8, yet finite.
    let experiment = """
    name: overflow
    task: {kind: language_model, data: timemachine, steps: 50}
    model: {cell: gru, hidden_size: 8}
    training:
      epochs: 2
      batch_size: 512
      optimizer: {kind: sgd, learning_rate: 10000}
    seeds: [1]
    report: {metric: loss}
    """

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: CLI.mirrorPath) else { throw XCTSkip("data mirror not found at \(CLI.mirrorPath)") }
        cli = try CLI(for: self)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        try experiment.write(to: work.appendingPathComponent("experiments/overflow.yaml"), atomically: true, encoding: .utf8)
    }

    func runFile(_ results: String) -> String? {
        let runs = work.appendingPathComponent("\(results)/overflow/runs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).filter { $0.hasSuffix(".h5") }
        return names.first.map { runs.appendingPathComponent($0).path }
    }

    func testARunWithInfinitePerplexityIsCheckpointedAndResumesBitIdentically() throws {
        let uninterrupted = try cli(["run", "overflow", "--results", "a"], environment: environment)
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.output)
        XCTAssertFalse(uninterrupted.output.contains("not written"), uninterrupted.output)
        let reference = try RunFile.read(from: try XCTUnwrap(runFile("a")))
        XCTAssertEqual(reference.status, .complete)
        let first = try XCTUnwrap(reference.epochs.first)
        XCTAssertTrue(try XCTUnwrap(first.validationLoss).isFinite && first.validationLoss! > 710, "\(first)")
        XCTAssertEqual(first.validationMetrics["perplexity"], .infinity, "the configuration must overflow perplexity")

        // The same run elsewhere, SIGKILLed once its first epoch is checkpointed.
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["run", "overflow", "--results", "b"]
        process.currentDirectoryURL = work
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        var checkpointed: RunFile?
        while Date() < deadline && process.isRunning && checkpointed == nil {
            if let path = runFile("b"), let file = try? RunFile.read(from: path), file.status == .running,
               (file.checkpoint?.completedEpochs ?? 0) >= 1 {
                checkpointed = file
            } else {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let interrupted = try XCTUnwrap(checkpointed, "no checkpoint after epoch 1 was written before the run ended")
        XCTAssertEqual(interrupted.checkpoint?.completedEpochs, 1)
        XCTAssertEqual(interrupted.checkpoint?.testAtBest["perplexity"], .infinity)
        XCTAssertEqual(interrupted.epochs.map(\.validationMetrics), [first.validationMetrics])

        let resumed = try cli(["run", "overflow", "--results", "b"], environment: environment)
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("resuming"), resumed.output)
        let final = try RunFile.read(from: try XCTUnwrap(runFile("b")))
        XCTAssertEqual(final.status, .complete)
        XCTAssertEqual(final.finalWeights.map(\.values), reference.finalWeights.map(\.values))
        XCTAssertEqual(final.steps.map(\.loss.bitPattern), reference.steps.map(\.loss.bitPattern))
        XCTAssertEqual(final.epochs.map(\.validationMetrics), reference.epochs.map(\.validationMetrics))
        XCTAssertEqual(final.epochs.map(\.testMetrics), reference.epochs.map(\.testMetrics))
        XCTAssertEqual(final.finalMetrics, reference.finalMetrics)
        XCTAssertEqual(final.finalMetrics["perplexity"], .infinity)
        // What the command line prints of it says inf, as the stores do, instead of dropping it.
        let shown = try cli(["show", try XCTUnwrap(runFile("b")), "--json"], environment: environment)
        XCTAssertEqual(shown.status, 0, shown.output)
        XCTAssertTrue(shown.output.contains("\"perplexity\": \"inf\""), shown.output)
    }
}
