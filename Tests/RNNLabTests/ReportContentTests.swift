import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

/// What a report shows beyond the table: arm labels, success rates, last-epoch training metrics and
/// generated samples, each computed from real run files.
final class ReportContentTests: XCTestCase {
    func testLabelsSuccessRatesTrainingPerplexityAndSamples() throws {
        let cli = try CLI(for: self)
        let mirrorPath = CLI.mirrorPath
        guard FileManager.default.fileExists(atPath: mirrorPath) else { throw XCTSkip("data mirror not found at \(mirrorPath)") }
        let environment = ["RNNLAB_DATA_MIRROR": mirrorPath]
        let experiment = """
        name: labelled
        title: Labelled arms
        description: Two labelled arms on a character model.
        task: {kind: language_model, data: timemachine, tokens: characters, steps: 20}
        model: {cell: gru, hidden_size: 12}
        training:
          epochs: 1
          max_steps: 6
          batch_size: 32
          optimizer: {kind: adam, learning_rate: 0.01}
        include:
          - {label: "small GRU", model.hidden_size: 8}
          - {label: "tanh RNN", model.cell: rnn_tanh}
        seeds: 2
        report:
          metric: bits_per_token
          columns: [train_perplexity]
          success: {metric: loss, below_baseline_fraction: 1.5}
          samples: {prime: "the ", length: 30, temperature: 0.5}
        reference:
          - {arm: {label: "tanh RNN"}, metric: train_perplexity, value: 1.0, tolerance: 0.1, source: "Book, 9.6"}
        """
        let directory = cli.workDirectory.appendingPathComponent("experiments")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try experiment.write(to: directory.appendingPathComponent("labelled.yaml"), atomically: true, encoding: .utf8)
        let run = try cli(["run", "labelled"], environment: environment)
        XCTAssertEqual(run.status, 0, run.output)
        let report = try String(contentsOf: cli.workDirectory.appendingPathComponent("results/labelled/REPORT.md"), encoding: .utf8)

        // Labels name the rows, and the reference found its arm by label.
        XCTAssertTrue(report.contains("| `small GRU` | 2/2 |"), report)
        XCTAssertTrue(report.contains("| `tanh RNN` | 2/2 |"), report)
        XCTAssertTrue(report.contains("| `tanh RNN` | train_perplexity | 1.0000 |"), report)
        // Six steps leave the loss near the unigram baseline, far below 1.5 × it: every run succeeds.
        XCTAssertTrue(report.contains("success (test loss < 1.5 × the baseline's)"), report)
        // One epoch each: trained 1, best 1, so all four were still improving when the budget ended them.
        XCTAssertEqual(report.components(separatedBy: "| 2/2 | 6 | 3840 | 1 (1) **still improving** (2/2) | 0 |").count - 1, 2, report)
        XCTAssertTrue(report.contains("Of the 4 complete runs, early stopping ended 0 and their budget (epochs, steps, tokens or wall clock) 4; "
                                      + "4 were still improving at its end"), report)
        XCTAssertTrue(report.contains("Budget-limited: `small GRU` (2/2 runs), `tanh RNN` (2/2 runs) were still improving"), report)
        XCTAssertTrue(report.contains("| yes (±0.1000); budget-limited (still improving) |") || report.contains("| **no** (±0.1000); budget-limited (still improving) |"),
                      "the reference comparison of a budget-limited arm says so: \(report)")

        // The training perplexity column is exp(last epoch's training loss) of the stored runs.
        let runs = cli.workDirectory.appendingPathComponent("results/labelled/runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }.sorted()
        XCTAssertEqual(names.count, 4)
        let files = try names.map { try RunFile.read(from: runs.appendingPathComponent($0).path) }
        let perplexities = files.filter { $0.configuration.model.cell == .rnnTanh }
            .compactMap { $0.epochs.last.map { Foundation.exp($0.trainingLoss) } }
        XCTAssertEqual(perplexities.count, 2)
        let mean = perplexities.reduce(0, +) / 2
        // Printed to the decimal place of the standard deviation's significant digits (docs/experiments.md).
        let std = abs(perplexities[0] - perplexities[1]) / 2.0.squareRoot()
        var exponent = Int(Foundation.floor(Foundation.log10(std)))
        if (std / Foundation.pow(10, Double(exponent))).rounded() >= 10 { exponent += 1 }
        let digit = (std / Foundation.pow(10, Double(exponent))).rounded() == 1 ? exponent - 1 : exponent
        let scale = Foundation.pow(10, Double(digit))
        let printed = std > 0 ? String(format: "%.\(max(0, -digit))f", (mean / scale).rounded() * scale) : String(format: "%.4f", mean)
        XCTAssertTrue(report.contains("| \(printed) ± "), "mean training perplexity \(mean) (\(printed)) not in \(report)")

        // The sample under each arm is what `rnnlab sample` prints for its first run.
        let sampled = try XCTUnwrap(report.range(of: "`tanh RNN` (run `"))
        let runID = String(report[sampled.upperBound...].prefix(16))
        let sample = try cli(["sample", "results/labelled/runs/\(runID).h5", "--prime", "the ", "--length", "30", "--temperature", "0.5"],
                             environment: environment)
        XCTAssertEqual(sample.status, 0, sample.output)
        XCTAssertTrue(report.contains("```text\n" + sample.output.trimmingCharacters(in: .newlines) + "\n```"), report)

        // `report --check` regenerates everything and finds the stored reports identical; an edit is caught.
        let check = try cli(["report", "--all", "--check"], environment: environment)
        XCTAssertEqual(check.status, 0, check.output)
        let csv = cli.workDirectory.appendingPathComponent("results/labelled/summary.csv")
        try (try String(contentsOf: csv, encoding: .utf8) + "edited\n").write(to: csv, atomically: true, encoding: .utf8)
        let caught = try cli(["report", "--all", "--check"], environment: environment)
        XCTAssertNotEqual(caught.status, 0, caught.output)
        XCTAssertTrue(caught.output.contains("results/labelled/summary.csv"), caught.output)
        XCTAssertFalse(caught.output.contains("README.md"), caught.output)
    }

    /// Arms whose tasks differ get one baseline row per distinct baseline, naming the arms it belongs to,
    /// in the Markdown and the LaTeX table alike; each row holds the exact baseline of those arms' task.
    func testArmsWithDifferentTasksGetOneBaselineRowPerDistinctTask() throws {
        let cli = try CLI(for: self)
        let experiment = """
        name: lengths
        title: Two lengths
        description: The adding problem at two lengths.
        task: {kind: adding, length: 10, training_examples: 100, evaluation_examples: 30}
        model: {cell: rnn_tanh, hidden_size: 4}
        training: {epochs: 10, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
        include:
          - {label: "tanh, T = 10", task.length: 10}
          - {label: "GRU, T = 10", model.cell: gru, task.length: 10}
          - {label: "tanh, T = 20", task.length: 20}
        seeds: 1
        report: {metric: mse, direction: lower}
        """
        let directory = cli.workDirectory.appendingPathComponent("experiments")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("lengths.yaml")
        try experiment.write(to: path, atomically: true, encoding: .utf8)
        let other = experiment.replacingOccurrences(of: "name: lengths", with: "name: other")
            .replacingOccurrences(of: "title: Two lengths", with: "title: Another")
        try other.write(to: directory.appendingPathComponent("other.yaml"), atomically: true, encoding: .utf8)
        let run = try cli(["run", "--all"])
        XCTAssertEqual(run.status, 0, run.output)

        // The expected values straight from the tasks.
        var expected: [String: String] = [:]
        for planned in try Experiment.load(path: path.path).plan(profile: nil) {
            let task = try TaskCatalog.make(planned.configuration.task, data: DataDirectory(explicit: cli.workDirectory.appendingPathComponent("data").path))
            expected[planned.arm] = try String(format: "%.4f", XCTUnwrap(task.baseline(.test)["mse"]))
        }
        let short = try XCTUnwrap(expected["tanh, T = 10"]), long = try XCTUnwrap(expected["tanh, T = 20"])
        XCTAssertEqual(expected["GRU, T = 10"], short)
        XCTAssertNotEqual(short, long, "the two lengths' test sets have different baselines")

        let markdown = try cli(["table", "lengths"])
        XCTAssertEqual(markdown.status, 0, markdown.output)
        XCTAssertTrue(markdown.output.contains("| baseline for `tanh, T = 10`, `GRU, T = 10` | – | \(short) | – | – | – | – |"), markdown.output)
        XCTAssertTrue(markdown.output.contains("| baseline for `tanh, T = 20` | – | \(long) | – | – | – | – |"), markdown.output)
        XCTAssertEqual(markdown.output.components(separatedBy: "baseline").count - 1, 2, markdown.output)

        let latex = try cli(["table", "lengths", "--format", "latex"])
        XCTAssertEqual(latex.status, 0, latex.output)
        XCTAssertTrue(latex.output.contains("Baseline (tanh, T = 10; GRU, T = 10) & -- & $\(short)$ \\\\"), latex.output)
        XCTAssertTrue(latex.output.contains("Baseline (tanh, T = 20) & -- & $\(long)$ \\\\"), latex.output)

        // Arms are only compared within their task, and a headline per task. One seed per arm: the two arms of
        // T = 10 cannot be tested against each other (n < 2), so only the arm alone in its task is in bold.
        let bold = markdown.output.replacingOccurrences(of: "**still improving**", with: "")
        XCTAssertEqual(bold.components(separatedBy: "**").count - 1, 2, markdown.output)
        XCTAssertEqual(markdown.output.components(separatedBy: "| n < 2 |").count - 1, 1, markdown.output)
        let longRow = try XCTUnwrap(markdown.output.split(separator: "\n").first { $0.hasPrefix("| `tanh, T = 20`") })
        XCTAssertTrue(longRow.contains("**"), markdown.output)
        let report = try String(contentsOf: cli.workDirectory.appendingPathComponent("results/lengths/REPORT.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("the best arm of each is in bold"), report)
        let index = try String(contentsOf: cli.workDirectory.appendingPathComponent("results/README.md"), encoding: .utf8)
        XCTAssertTrue(index.contains("per task: budget-limited, untested: `"), index)
        XCTAssertTrue(index.contains("; best `tanh, T = 20` "), index)
        XCTAssertTrue(index.contains("`tanh, T = 20` "), index)

        // The index ends with the totals over every experiment: runs, and training seconds summed.
        let rows = index.split(separator: "\n").filter { $0.hasPrefix("| Two lengths |") || $0.hasPrefix("| Another |") }
        XCTAssertEqual(rows.count, 2, index)
        let seconds = rows.compactMap { Double($0.split(separator: "|")[3].trimmingCharacters(in: .whitespaces)) }
        XCTAssertEqual(seconds.count, 2, index)
        let total = try XCTUnwrap(index.split(separator: "\n").first { $0.hasPrefix("| all experiments | – | 6/6 |") }, index)
        let summed = try XCTUnwrap(Double(total.split(separator: "|")[3].trimmingCharacters(in: .whitespaces)))
        XCTAssertEqual(summed, seconds.reduce(0, +), accuracy: 1, index)
    }

    /// The "epochs (best)" column is what the run files' epoch records give: epochs trained, and the epoch of
    /// the lowest validation loss; the note counts the runs early stopping ended, and those whose best epoch was their last.
    func testEpochColumnAndBudgetNoteFollowTheEpochRecords() throws {
        let cli = try CLI(for: self)
        let experiment = """
        name: stopping
        title: Early stopping
        description: Early stopping at patience 1 on the adding problem.
        task: {kind: adding, length: 10, training_examples: 60, evaluation_examples: 30}
        model: {cell: rnn_tanh, hidden_size: 4}
        training: {epochs: 12, early_stopping_patience: 1, batch_size: 20, optimizer: {kind: sgd, learning_rate: 0.5}}
        seeds: 4
        report: {metric: mse, direction: lower}
        """
        let directory = cli.workDirectory.appendingPathComponent("experiments")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try experiment.write(to: directory.appendingPathComponent("stopping.yaml"), atomically: true, encoding: .utf8)
        let run = try cli(["run", "stopping"])
        XCTAssertEqual(run.status, 0, run.output)

        let runs = cli.workDirectory.appendingPathComponent("results/stopping/runs")
        let files = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
            .map { try RunFile.read(from: runs.appendingPathComponent($0).path) }
        XCTAssertEqual(files.count, 4)
        let epochs = try files.map { file -> (run: Int, best: Int) in
            let losses = try file.epochs.map { ($0.epoch, try XCTUnwrap($0.validationLoss)) }
            let best = try XCTUnwrap(losses.min { $0.1 < $1.1 }).0
            return (file.epochs.count, best)
        }
        XCTAssertTrue(epochs.contains { $0.run < 12 }, "some run stopped early: \(epochs)")
        func range(_ values: [Int]) -> String {
            let (low, high) = (values.min() ?? 0, values.max() ?? 0)
            return low == high ? "\(low)" : "\(low)–\(high)"
        }
        let report = try String(contentsOf: cli.workDirectory.appendingPathComponent("results/stopping/REPORT.md"), encoding: .utf8)
        // Runs that ended more than twice as bad as the trivial baseline are exploded: their own column, out of the mean.
        let baselineRow = try XCTUnwrap(report.split(separator: "\n").first { $0.hasPrefix("| trivial baseline |") })
        let baseline = try XCTUnwrap(Double(baselineRow.split(separator: "|")[2].trimmingCharacters(in: .whitespaces)))
        let exploded = try files.filter { try XCTUnwrap($0.finalMetrics["mse"]) > 2 * baseline }.count
        XCTAssertTrue(report.contains("| `base` | \(4 - exploded)/4 |"), "\(exploded) exploded\n\(report)")
        XCTAssertTrue(report.contains("| \(range(epochs.map(\.run))) (\(range(epochs.map(\.best)))) | 0 | \(exploded) |"), "\(epochs)\n\(report)")
        // Patience 1: a run stopped early exactly when its last epoch is past its best one.
        let early = epochs.filter { $0.run > $0.best }.count, improving = epochs.filter { $0.run == $0.best }.count
        let note = early == 4 ? "Early stopping ended all 4 complete runs."
            : "Of the 4 complete runs, early stopping ended \(early) and their budget (epochs, steps or wall clock) \(4 - early); "
                + "\(improving) had their best validation epoch at their last"
        XCTAssertTrue(report.contains(note), "\(epochs)\n\(report)")
    }

    func testSuccessCriteria() {
        let fixed = SuccessCriterion(metric: "mse", threshold: .below(0.01))
        XCTAssertEqual(fixed.isSuccess(0.009, baseline: nil), true)
        XCTAssertEqual(fixed.isSuccess(0.01, baseline: 0.5), false)
        let relative = SuccessCriterion(metric: "loss", threshold: .belowBaselineFraction(0.1))
        XCTAssertEqual(relative.isSuccess(0.05, baseline: 1), true)
        XCTAssertEqual(relative.isSuccess(0.2, baseline: 1), false)
        XCTAssertNil(relative.isSuccess(0.05, baseline: nil), "no baseline: undecided")
    }
}
