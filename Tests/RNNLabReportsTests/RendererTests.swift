import Foundation
import RNNLabExperiments
import RNNLabReports
import XCTest

/// The renderers on values built here: no run files, no tasks, no models.
final class RendererTests: XCTestCase {
    let yaml = """
    name: handmade
    title: "Cells & gates <small>"
    description: Two arms built by hand.
    task: {kind: adding, length: 5, training_examples: 50, evaluation_examples: 10}
    model: {cell: lstm, hidden_size: 4}
    training:
      epochs: 5
      batch_size: 10
      optimizer: {kind: adam, learning_rate: 0.01}
    seeds: 1
    report: {metric: mse, direction: lower, columns: [mae]}
    """

    func report(arms: [ExperimentReport.ArmSummary]) throws -> ExperimentReport {
        ExperimentReport(experiment: try Experiment.parse(yaml, file: "experiments/handmade.yaml"), profile: nil, arms: arms, totalSeconds: 37.4)
    }

    var twoArms: [ExperimentReport.ArmSummary] {
        [ExperimentReport.ArmSummary(arm: "a", planned: 3, complete: 2, diverged: 0, values: ["mse": [0.1, 0.3]], seconds: 12.5,
                                     runIDs: ["0000000000000001", "0000000000000002"], curves: [1: [0.5, 0.7], 2: [0.2, 0.4]],
                                     baseline: ["mse": 1.0], epochs: [(5, 4, false), (5, 4, false)]),
         ExperimentReport.ArmSummary(arm: "b", planned: 1, complete: 1, diverged: 0, values: ["mse": [0.5]], baseline: ["mse": 1.0])]
    }

    func testMarkdownTableBoldsTheBestArmAndEndsWithTheBaseline() throws {
        // `b` has one run, so `a` cannot be tested against it: no bold (see SignificanceTests for a significant win).
        let table = try report(arms: twoArms).markdownTable
        XCTAssertEqual(table, """
            | arm | n | test mse | vs best | test mae | updates | tokens | epochs (best) | diverged | exploded | time per run (s) |
            |---|---|---|---|---|---|---|---|---|---|---|
            | `a` | 2/3 | 0.20 ± 0.14 | – | – | – | – | 5 (4) | 0 | 0 | 12.5 |
            | `b` | 1/1 | 0.5000 | n < 2 | – | – | – | – | 0 | 0 | – |
            | trivial baseline | – | 1.0000 | – | – | – | – | – | – | – | – |
            """)
    }

    func testArmsWithDifferentBaselinesAreComparedWithinTheirGroupOnly() throws {
        var arms = twoArms
        arms[1].baseline = ["mse": 2.0]
        let report = try report(arms: arms)
        XCTAssertTrue(report.markdownTable.contains("| `b` | 1/1 | **0.5000** |"), report.markdownTable)
        XCTAssertTrue(report.markdownTable.contains("| baseline for `b` | – | 2.0000 | – |"), report.markdownTable)
        XCTAssertEqual(report.headline, "per task: best `a` 0.20 ± 0.14; best `b` 0.5000 (test mse)")
    }

    func testLaTeXTableEscapesArmNames() throws {
        var arms = twoArms
        arms[0].arm = "lr_0.1 & 50%"
        let table = try report(arms: arms).latexTable
        XCTAssertTrue(table.contains("lr\\_0.1 \\& 50\\% & 2 & $0.20 \\pm 0.14$ & -- \\\\"), table)
        XCTAssertTrue(table.contains("Arm & $n$ & test mse & test mae \\\\"), table)
    }

    func testCSVQuotesArmNamesAndGivesFullPrecision() throws {
        var arms = twoArms
        arms[1].arm = "say \"b\", twice"
        let csv = try report(arms: arms).csv
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "arm,planned,complete,diverged,exploded,seconds_per_run,mse_mean,mse_std,mse_baseline,mae_mean,mae_std,mae_baseline,"
                       + "mse_vs_best_diff,mse_vs_best_p,mse_vs_best_ci_low,mse_vs_best_ci_high,mse_vs_best_test,"
                       + "updates_min,updates_max,tokens_min,tokens_max,still_improving")
        XCTAssertEqual(lines[2], "\"say \"\"b\"\", twice\",1,1,0,0,,0.5,0.0,1.0,,,,,,,,,,,,,0")
        XCTAssertEqual(lines.last, "", "ends with a newline")
    }

    func testPlotsEscapeTheirTitles() throws {
        let svg = try report(arms: twoArms).curvesSVG
        XCTAssertTrue(svg.contains("Cells &amp; gates &lt;small&gt;: validation mse"), svg)
        XCTAssertFalse(svg.contains("<small>"))
        let map = AttentionHeatMap(title: "a<b", sourceTokens: ["&"], outputTokens: [">"], weights: [[1]])
        let rendered = map.render()
        XCTAssertTrue(rendered.contains(">a&lt;b</tspan></text>") && rendered.contains(">&amp;</text>") && rendered.contains(">&gt;</text>"), rendered)
    }

    func testResultsIndexHasOneLinePerReportAndATotal() throws {
        let text = ResultsIndex.markdown([try report(arms: twoArms)])
        XCTAssertTrue(text.contains("| Cells & gates <small> | untested: `a` ahead of `b` (n < 2), test mse 0.20 ± 0.14 (trivial baseline 1.0000) | 3/4 | 37 "
                                    + "| [handmade/REPORT.md](handmade/REPORT.md) |\n"), text)
        XCTAssertTrue(text.contains("| all experiments | – | 3/4 | 37 | – |\n"), text)
        XCTAssertTrue(text.hasPrefix("# Results\n") && text.contains("its own wall clock.\n"), text)
        var withRecords = try report(arms: twoArms)
        withRecords.recordBytes = 1_234_567
        XCTAssertTrue(ResultsIndex.markdown([withRecords]).hasSuffix("\n\nThe 3 run records take 1.23 MB in all.\n"))
    }

    func testReportFilesAndTheCheckThatComparesThem() throws {
        let report = try report(arms: twoArms)
        XCTAssertEqual(report.files.map(\.name), ["REPORT.md", "summary.csv", "final.svg", "curves.svg"])
        XCTAssertTrue(report.markdown.contains("- `a`: `0000000000000001`, `0000000000000002`\n- `b`: no recorded run yet\n"), report.markdown)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertEqual(ReportWriter.differences(report.files, in: directory).count, 4, "nothing written yet")
        try ReportWriter.write(report.files, to: directory)
        XCTAssertEqual(ReportWriter.differences(report.files, in: directory), [])
        try "edited\n".write(to: directory.appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(ReportWriter.differences(report.files, in: directory), [directory.appendingPathComponent("summary.csv").path])
    }
}
