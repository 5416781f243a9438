import Foundation
import RNNLabExperiments
import RNNLabReports
import XCTest

/// The LaTeX table is ready to paste into a paper: numbers in math mode, names escaped, its package named.
final class LaTeXTableTests: XCTestCase {
    func report(arms: [ExperimentReport.ArmSummary]) throws -> ExperimentReport {
        let yaml = """
        name: handmade
        title: Hand made
        description: Arms built by hand.
        task: {kind: adding, length: 5, training_examples: 50, evaluation_examples: 10}
        model: {cell: lstm, hidden_size: 4}
        training: {epochs: 5, batch_size: 10, optimizer: {kind: adam, learning_rate: 0.01}}
        seeds: 1
        report: {metric: mse, direction: lower, columns: [mae]}
        """
        return ExperimentReport(experiment: try Experiment.parse(yaml, file: "experiments/handmade.yaml"), profile: nil, arms: arms,
                                totalSeconds: 1)
    }

    func arm(_ name: String, mse: [Double], mae: [Double]? = nil) -> ExperimentReport.ArmSummary {
        var values = ["mse": mse]
        if let mae { values["mae"] = mae }
        return ExperimentReport.ArmSummary(arm: name, planned: mse.count, complete: mse.count, diverged: 0, values: values,
                                           baseline: ["mse": 1.0, "mae": 123_456])
    }

    func testNumbersAreInMathModeWithPowersOfTen() throws {
        let table = try report(arms: [arm("small", mse: [2e-4, 4e-4], mae: [0.1, 0.3]),
                                      arm("negative", mse: [0.5], mae: [-0.5]), arm("odd", mse: [0.9], mae: [.nan])]).latexTable
        XCTAssertTrue(table.contains("small & 2 & $3.0\\times10^{-4} \\pm 1.4\\times10^{-4}$ & $0.20 \\pm 0.14$ \\\\"),
                      table)
        XCTAssertTrue(table.contains("negative & 1 & $0.5000$ & $-0.5000$ \\\\"), table)
        XCTAssertTrue(table.contains("odd & 1 & $0.9000$ & $\\mathrm{NaN}$ \\\\"), table)
        XCTAssertTrue(table.contains("Trivial baseline & -- & $1.0000$ & $1.235\\times10^{5}$ \\\\"), table)
        for raw in ["e-0", "e+0", "±", "–"] { XCTAssertFalse(table.contains(raw), "\(raw) in\n\(table)") }
    }

    func testAMissingValueIsADashAndOneSeedHasNoStd() throws {
        let table = try report(arms: [arm("one", mse: [0.25])]).latexTable
        XCTAssertTrue(table.contains("one & 1 & \\textbf{\\boldmath$0.2500$} & -- \\\\"), table)
    }

    func testSpecialCharactersInArmNamesAreEscapedAndEveryRowHasItsColumns() throws {
        let name = "a#b $x^2$ {y} ~z <w> |v| 50% c_d & e\\f"
        let table = try report(arms: [arm(name, mse: [0.5, 0.7]), arm("plain", mse: [0.1])]).latexTable
        let escaped = "a\\#b \\$x\\textasciicircum{}2\\$ \\{y\\} \\textasciitilde{}z \\textless{}w\\textgreater{} "
            + "\\textbar{}v\\textbar{} 50\\% c\\_d \\& e\\textbackslash{}f"
        XCTAssertTrue(table.contains(escaped + " & 2 & $0.60 \\pm 0.14$ & -- \\\\"), table)
        // Every row has as many cells as the column specification: four columns, three unescaped `&`.
        let rows = table.split(separator: "\n").filter { $0.hasSuffix("\\\\") }
        XCTAssertEqual(rows.count, 4, table)
        for row in rows {
            let unescaped = row.replacingOccurrences(of: "\\&", with: "").filter { $0 == "&" }.count
            XCTAssertEqual(unescaped, 3, String(row))
        }
        XCTAssertTrue(table.contains("\\begin{tabular}{lrrr}"), table)
    }

    func testTheTableNamesThePackagesItNeeds() throws {
        let lines = try report(arms: [arm("a", mse: [0.1])]).latexTable.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("% rnnlab table handmade:"), lines[0])
        XCTAssertEqual(lines[1], "% Needs \\usepackage{booktabs} (\\toprule, \\midrule, \\bottomrule); numbers are in math mode.")
        XCTAssertEqual(lines[2], "\\begin{tabular}{lrrr}")
        XCTAssertEqual(lines.last, "\\end{tabular}")
        XCTAssertFalse(lines.contains { $0.contains("\\num") || $0.contains("\\SI") }, "siunitx is not needed")
    }
}
