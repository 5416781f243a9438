import Foundation
import RNNLabExperiments
@testable import RNNLabReports
import XCTest

/// The Student t CDF, the rounding rule, Welch's test and how the reports state significance.
final class SignificanceTests: XCTestCase {
    let yaml = """
    name: handmade
    title: Handmade
    description: Arms built by hand.
    task: {kind: sentiment, data: sst2, embedding: 8}
    model: {cell: lstm, hidden_size: 4}
    training:
      epochs: 5
      batch_size: 10
      optimizer: {kind: adam, learning_rate: 0.01}
    seeds: 3
    report: {metric: accuracy, direction: higher}
    """

    func report(_ arms: [(String, [Double])]) throws -> ExperimentReport {
        ExperimentReport(experiment: try Experiment.parse(yaml, file: "experiments/handmade.yaml"), profile: nil,
                         arms: arms.map { ExperimentReport.ArmSummary(arm: $0.0, planned: 3, complete: $0.1.count, diverged: 0,
                                                                     values: ["accuracy": $0.1], baseline: ["accuracy": 0.5]) },
                         totalSeconds: 1)
    }

    // Reference values: t tables, closed forms, and scipy 1.17 (2 * scipy.stats.t.sf(t, df), t.cdf, t.ppf, special.betainc).
    func testStudentTMatchesReferenceValues() {
        XCTAssertEqual(StudentT.twoSidedP(2.776, df: 4), 0.05, accuracy: 1e-4)
        XCTAssertEqual(StudentT.twoSidedP(2.776, df: 4), 0.05002277831997642, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedP(2.228, df: 10), 0.05001177181711132, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedP(0.5, df: 3.7), 0.6453356333199318, accuracy: 1e-10)
        XCTAssertEqual(StudentT.cdf(-3.2, df: 2.5), 0.031705514118190725, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedP(1.0, df: 1), 0.5, accuracy: 1e-12)   // Cauchy: 2·(1/2 − atan(1)/π)
        XCTAssertEqual(StudentT.twoSidedP(2.0, df: 2), 1 - 2 / 6.0.squareRoot(), accuracy: 1e-12)   // closed form for df = 2
        XCTAssertEqual(StudentT.twoSidedP(1.96, df: 1e7), 0.04999581802531423, accuracy: 1e-9)   // the normal limit
        XCTAssertEqual(StudentT.twoSidedP(4.604, df: 4), 0.010000714436015672, accuracy: 1e-10)
        XCTAssertEqual(StudentT.cdf(0, df: 3), 0.5, accuracy: 1e-15)
        XCTAssertEqual(StudentT.cdf(-1.533, df: 4), 0.10002435691405015, accuracy: 1e-10)
        XCTAssertEqual(StudentT.quantile(0.975, df: 4), 2.7764451051977934, accuracy: 1e-9)
        XCTAssertEqual(StudentT.quantile(0.8, df: 4), 0.9409645772351816, accuracy: 1e-9)
        XCTAssertEqual(StudentT.quantile(0.975, df: 30), 2.0422724563012378, accuracy: 1e-9)
        XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: 0.3, a: 2, b: 3), 0.3483, accuracy: 1e-12)
    }

    func testWelchTestOnKnownSamples() throws {
        // scipy.stats.ttest_ind([1,2,3,4], [2,4,6,8,10], equal_var=False): t = -2.2514363231593695,
        // p = 0.06913359319239237, df = 5.520787746170677.
        let test = try XCTUnwrap(DifferenceTest.welch([1, 2, 3, 4], [2, 4, 6, 8, 10]))
        XCTAssertEqual(test.difference, -3.5, accuracy: 1e-12)
        XCTAssertEqual(test.degreesOfFreedom, 5.520787746170677, accuracy: 1e-10)
        XCTAssertEqual(test.difference / test.standardError, -2.2514363231593695, accuracy: 1e-10)
        XCTAssertEqual(test.p, 0.06913359319239237, accuracy: 1e-10)
        XCTAssertLessThan(test.interval.low, -3.5)
        XCTAssertGreaterThan(test.interval.high, 0, "the 95% CI covers 0 where p > 0.05")
        XCTAssertNil(DifferenceTest.welch([1], [2, 3]), "n < 2: no test")
    }

    func testRoundingRuleOnSeveralMagnitudes() throws {
        let r = try report([])
        XCTAssertEqual(r.cell([111.2 - 0.176, 111.2, 111.2 + 0.176]), "111.2 ± 0.2")
        XCTAssertEqual(UncertaintyFormatting.meanAndStd(mean: 111.2, std: 0.176)?.std, "0.2")
        let small = try XCTUnwrap(UncertaintyFormatting.meanAndStd(mean: 7.393e-05, std: 5.363e-06))
        XCTAssertEqual("\(small.mean) ± \(small.std)", "7.4e-05 ± 0.5e-05")
        let accuracy = try XCTUnwrap(UncertaintyFormatting.meanAndStd(mean: 0.7824, std: 0.0079))
        XCTAssertEqual("\(accuracy.mean) ± \(accuracy.std)", "0.782 ± 0.008")
        let leadingOne = try XCTUnwrap(UncertaintyFormatting.meanAndStd(mean: 0.7476, std: 0.0131))
        XCTAssertEqual("\(leadingOne.mean) ± \(leadingOne.std)", "0.748 ± 0.013", "2 digits when the first is a 1")
        let large = try XCTUnwrap(UncertaintyFormatting.meanAndStd(mean: 1234.5, std: 37))
        XCTAssertEqual("\(large.mean) ± \(large.std)", "1230 ± 40")
        XCTAssertEqual(r.cell([0.25, 0.25, 0.25]), "0.2500 ± 0", "a std of 0")
        XCTAssertEqual(r.cell([0.123456]), "0.1235", "a single run: no ±")
        XCTAssertEqual(UncertaintyFormatting.pText(0.9), "p = 0.90")
        XCTAssertEqual(UncertaintyFormatting.pText(0.0432), "p = 0.043")
        XCTAssertEqual(UncertaintyFormatting.pText(0.0002), "p < 0.001")
        XCTAssertEqual(r.latexCell([7.393e-05 - 5.363e-06, 7.393e-05 + 5.363e-06], bold: false), "$7.4\\times10^{-5} \\pm 0.8\\times10^{-5}$")
    }

    func testTieIsNotBoldAndSaysNoSignificantDifference() throws {
        let r = try report([("a", [0.75, 0.77, 0.73]), ("b", [0.74, 0.755, 0.745])])
        XCTAssertFalse(r.markdownTable.contains("**"), r.markdownTable)
        XCTAssertFalse(r.latexTable.contains("textbf"), r.latexTable)
        let test = try XCTUnwrap(DifferenceTest.welch([0.74, 0.755, 0.745], [0.75, 0.77, 0.73]))
        print("worked example (tie): Δ = \(test.difference), p = \(test.p), df = \(test.degreesOfFreedom), CI = \(test.interval)")
        XCTAssertTrue(r.markdown.contains("No significant difference between `a` and `b` (Welch's t-test, p = 0.81, df = 2.6): "
                                          + "Δ = -0.003 accuracy (runner-up minus best), 95% CI [-0.047, +0.040]; neither is in bold."), r.markdown)
        // The worked example of docs/experiments.md, "How to read a report", quotes these strings.
        XCTAssertTrue(r.markdown.contains("At n = 3 runs per arm and the pooled std of these two arms s = 0.0151, the minimum detectable "
                                          + "difference (two-sided α = 0.05, 80% power) is (t_{0.975,4} + t_{0.8,4}) · s · √(2/n) = 0.0459 accuracy."), r.markdown)
        XCTAssertEqual(r.headline, "tied: `a`, `b` (p = 0.81), test accuracy 0.75 ± 0.02, 0.747 ± 0.008 (trivial baseline 0.5000)")
        XCTAssertTrue(r.markdownTable.contains("| `b` | 3/3 | 0.747 ± 0.008 | -0.003 (p = 0.81) |"), r.markdownTable)
        // scipy.stats.ttest_ind([0.74, 0.755, 0.745], [0.75, 0.77, 0.73], equal_var=False): p = 0.8075654177608863.
        XCTAssertEqual(test.p, 0.8075654177608863, accuracy: 1e-10)
        XCTAssertTrue(r.markdownTable.contains("| `a` | 3/3 | 0.75 ± 0.02 | – |"), r.markdownTable)
    }

    func testSignificantWinIsBoldWithHeadlineBest() throws {
        let r = try report([("a", [0.80, 0.81, 0.82]), ("b", [0.70, 0.71, 0.72]), ("c", [0.6])])
        XCTAssertTrue(r.markdownTable.contains("| `a` | 3/3 | **0.810 ± 0.010** | – |"), r.markdownTable)
        XCTAssertTrue(r.latexTable.contains("\\textbf{\\boldmath$0.810 \\pm 0.010$}"), r.latexTable)
        XCTAssertEqual(r.headline, "best: `a`, test accuracy 0.810 ± 0.010 (trivial baseline 0.5000)")
        XCTAssertTrue(r.markdownTable.contains("| `b` | 3/3 | 0.710 ± 0.010 | -0.100 (p < 0.001) |"), r.markdownTable)
        XCTAssertTrue(r.markdownTable.contains("| `c` | 1/3 | 0.6000 | n < 2 |"), r.markdownTable)
        XCTAssertTrue(r.markdown.contains("`a` beats the runner-up `b` at α = 0.05 (Welch's t-test, p < 0.001, df = 4.0): Δ = -0.100 accuracy (runner-up minus best), 95% CI [-0.123, -0.077]"), r.markdown)
        let csv = r.csv.split(separator: "\n").map(String.init)
        let header = csv[0].split(separator: ",").map(String.init)
        XCTAssertTrue(csv[0].contains(",accuracy_vs_best_diff,accuracy_vs_best_p,accuracy_vs_best_ci_low,accuracy_vs_best_ci_high,accuracy_vs_best_test,"), csv[0])
        let rows = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        func field(_ row: Int, _ name: String) -> String { header.firstIndex(of: name).map { rows[row][$0] } ?? "missing" }
        XCTAssertEqual(["diff", "p", "ci_low", "ci_high", "test"].map { field(0, "accuracy_vs_best_" + $0) }, ["", "", "", "", ""],
                       "the best arm has no test: \(csv[1])")
        XCTAssertEqual(Double(field(1, "accuracy_vs_best_diff")) ?? 0, -0.1, accuracy: 1e-12)
        XCTAssertLessThan(Double(field(1, "accuracy_vs_best_p")) ?? 1, 0.001)
        XCTAssertEqual(field(1, "accuracy_vs_best_test"), "welch", "arms built without seeds cannot be paired")
        XCTAssertEqual(field(2, "accuracy_vs_best_p"), "", "n < 2: no test: \(csv[3])")
    }

    func testMinimumDetectableDifferenceSentence() throws {
        // The third arm's wide spread does not enter: the MDD is that of the best against the runner-up.
        let r = try report([("a", [0.80, 0.81, 0.82]), ("b", [0.70, 0.71, 0.72]), ("c", [0.2, 0.5, 0.6])])
        // s = 0.01, n = 3, df = 4: (2.776445 + 0.940965) · 0.01 · sqrt(2/3) = 0.030353.
        let mdd = try XCTUnwrap(MinimumDetectableDifference.value(std: 0.01, n: 3))
        XCTAssertEqual(mdd, 0.030353, accuracy: 1e-5)
        XCTAssertTrue(r.markdown.contains("At n = 3 runs per arm and the pooled std of these two arms s = 0.0100, the minimum detectable difference "
                                          + "(two-sided α = 0.05, 80% power) is (t_{0.975,4} + t_{0.8,4}) · s · √(2/n) = 0.0304 accuracy."), r.markdown)
    }

    func testUntestableBestIsNotBold() throws {
        let r = try report([("a", [0.9]), ("b", [0.70, 0.71, 0.72])])
        XCTAssertFalse(r.markdownTable.contains("**"), r.markdownTable)
        XCTAssertEqual(r.headline, "untested: `a` ahead of `b` (n < 2), test accuracy 0.9000 (trivial baseline 0.5000)")
    }
}
