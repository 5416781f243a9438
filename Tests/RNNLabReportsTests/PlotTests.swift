import Foundation
import RNNLabExperiments
import XCTest
@testable import RNNLabReports

/// The report's plots on hand-built values: panels, scales, styles, wrapping and the final-metric plot.
final class PlotTests: XCTestCase {
    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func testCurvesUseALogScaleOnlyForAMetricSpanningDecades() throws {
        let log = try PlotFixtures.logMetric(), linear = try PlotFixtures.threeGroups()
        XCTAssertTrue(log.curvesSVG.contains("validation mse (log scale)"), log.curvesSVG)
        XCTAssertTrue(log.finalMetricSVG.contains("test mse (lower is better) (log scale)"))
        XCTAssertTrue(log.curvesSVG.contains(">1e-5<") && log.curvesSVG.contains(">0.1<"), log.curvesSVG)
        XCTAssertFalse(linear.curvesSVG.contains("(log scale)"))
        XCTAssertFalse(linear.finalMetricSVG.contains("(log scale)"))
        XCTAssertTrue(linear.gradientNormSVG.contains("global L2 norm (log scale)"), "gradient norms stay on a log scale")
        for svg in [log.curvesSVG, log.finalMetricSVG, log.gradientNormSVG, linear.curvesSVG, linear.finalMetricSVG] {
            XCTAssertFalse(svg.contains("00000000") || svg.contains("99999999"), "a tick or coordinate with floating-point noise")
        }
    }

    func testSmallMultiplesHaveOnePanelPerGroupTitledByTheTaskSetting() throws {
        let report = try PlotFixtures.threeGroups()
        XCTAssertEqual(report.plotGroups.map(\.title), ["task.length = 50", "task.length = 100", "task.length = 200"])
        XCTAssertEqual(report.plotGroups.map(\.members), [[0, 1], [2, 3], [4, 5]])
        for svg in [report.curvesSVG, report.gradientNormSVG, report.finalMetricSVG] {
            XCTAssertEqual(count("<g class=\"panel\"", in: svg), 3)
            XCTAssertTrue(svg.contains(">task.length = 200</tspan>"))
        }
        XCTAssertEqual(try PlotFixtures.logMetric().plotGroups.map(\.title), [nil], "one group, one untitled panel")
    }

    func testNoColourAndDashPairRepeatsInAPanelOfTwentyFiveSeries() {
        XCTAssertEqual(Set((0..<40).map(SeriesStyle.at)).count, 40)
        let series = (0..<25).map { i in SVGPlot.Series(label: "arm \(i)", points: [(1, Double(i), Double(i), Double(i)), (2, 1, 1, 1)]) }
        let svg = SVGPlot(title: "25 arms", xLabel: "epoch", yLabel: "loss", series: series).render()
        let lines = svg.components(separatedBy: "<polyline ").dropFirst().map { $0.prefix { $0 != ">" } }
        let styles = lines.map { line -> String in
            let stroke = line.range(of: "stroke=\"#[0-9a-f]{6}\"", options: .regularExpression).map { String(line[$0]) } ?? "?"
            let dash = line.range(of: "stroke-dasharray=\"[0-9. ]+\"", options: .regularExpression).map { String(line[$0]) } ?? "solid"
            return stroke + " " + dash
        }
        XCTAssertEqual(styles.count, 25)
        XCTAssertEqual(Set(styles).count, 25, styles.joined(separator: "\n"))
        XCTAssertEqual(count("<line x1=", in: svg.components(separatedBy: "<g class=\"legend\"").last ?? ""), 25, "a legend entry per series")
    }

    func testALongTitleWrapsAndPushesThePanelsDown() throws {
        let report = try PlotFixtures.twelveArms()
        for svg in [report.curvesSVG, report.finalMetricSVG] {
            let title = try XCTUnwrap(svg.components(separatedBy: "<text class=\"title\"").dropFirst().first?.components(separatedBy: "</text>").first)
            XCTAssertGreaterThan(count("<tspan", in: title), 1, title)
            for word in "\(PlotFixtures.longTitle): ".split(separator: " ") {
                XCTAssertTrue(title.contains(String(word)), "\(word) missing from \(title)")
            }
            let width = try XCTUnwrap(Double(svg.components(separatedBy: "width=\"")[1].prefix { $0 != "\"" }))
            for line in title.components(separatedBy: "\">").dropFirst().map({ $0.components(separatedBy: "</tspan>")[0] }) {
                XCTAssertLessThanOrEqual(PlotText.width(line, size: SVGFigure.titleSize, bold: true), width - 2 * SVGFigure.margin, line)
            }
            let firstPanel = try XCTUnwrap(svg.range(of: "<g class=\"panel\" transform=\"translate(12 ")).upperBound
            let y = try XCTUnwrap(Double(svg[firstPanel...].prefix { $0 != ")" }))
            XCTAssertGreaterThan(y, SVGFigure.margin + 2 * SVGFigure.titleLineHeight, "the panels start below the title's lines")
        }
        // A legend label wider than its column wraps as well, and the legend grows: every word is there.
        let long = "an arm whose label is far longer than the legend column of a panel, with settings such as "
            + "model.cell=lstm, training.optimizer.learning_rate=0.001 and training.clipping.threshold=1"
        let short = SVGPlot(title: "t", xLabel: "epoch", yLabel: "loss", series: [SVGPlot.Series(label: "a", points: [(1, 1, 1, 1)])]).render()
        let wrapped = SVGPlot(title: "t", xLabel: "epoch", yLabel: "loss", series: [SVGPlot.Series(label: long, points: [(1, 1, 1, 1)])]).render()
        let legend = try XCTUnwrap(wrapped.components(separatedBy: "<g class=\"legend\"").last)
        XCTAssertGreaterThan(count("<tspan", in: legend), 1, legend)
        let text = legend.components(separatedBy: "</tspan>").dropLast().compactMap { $0.components(separatedBy: ">").last }.joined(separator: " ")
        XCTAssertEqual(text.replacingOccurrences(of: "= ", with: "=").replacingOccurrences(of: ". ", with: "."), long)
        XCTAssertGreaterThan(try declaredHeight(wrapped), try declaredHeight(short))
    }

    func declaredHeight(_ svg: String) throws -> Double {
        try XCTUnwrap(Double(svg.components(separatedBy: "height=\"")[1].prefix { $0 != "\"" }))
    }

    func testWrappingKeepsEveryCharacterAndBreaksLongNamesAtPunctuation() {
        let lines = PlotText.wrap("model.cell=rnn_tanh, training.optimizer.learning_rate=0.001 (n = 3)", width: 31 * 6.9, size: 11.5)
        XCTAssertEqual(lines, ["model.cell=rnn_tanh,", "training.optimizer.", "learning_rate=0.001 (n = 3)"])
        XCTAssertEqual(PlotText.wrap("abcdefghij", width: 4 * 6, size: 10), ["abcd", "efgh", "ij"])
        XCTAssertEqual(PlotText.wrap("", width: 100, size: 10), [])
    }

    func testTheFinalPlotHasADotPerRunAndTheTInterval() throws {
        let groups = try PlotFixtures.threeGroups().finalMetricSVG
        XCTAssertEqual(count("<g class=\"panel\"", in: groups), 3)
        XCTAssertEqual(count("<circle class=\"run\"", in: groups), 18)
        XCTAssertEqual(count("class=\"interval\"", in: groups), 6)
        XCTAssertEqual(count("class=\"baseline\"", in: groups), 3)

        let twelve = try PlotFixtures.twelveArms()
        let svg = twelve.finalMetricSVG
        XCTAssertEqual(count("<g class=\"panel\"", in: svg), 1)
        XCTAssertEqual(count("<circle class=\"run\"", in: svg), 10 * 3 + 1)
        XCTAssertEqual(count("class=\"interval\"", in: svg), 10, "no interval for one run, nothing for none")
        XCTAssertEqual(count(">no complete run<", in: svg), 1)
        XCTAssertTrue(svg.contains("test accuracy (higher is better)"))

        let summary = try XCTUnwrap(FinalMetricPlot.meanAndInterval([0.1, 0.3, 0.2]))
        let half = 4.302652729911275 * 0.1 / 3.0.squareRoot()   // t_{0.975, 2} · s / √n
        XCTAssertEqual(summary.mean, 0.2, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(summary.interval).low, 0.2 - half, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(summary.interval).high, 0.2 + half, accuracy: 1e-9)
        let two = try XCTUnwrap(FinalMetricPlot.meanAndInterval([1, 2])?.interval)
        XCTAssertEqual(two.high - 1.5, 12.706204736174698 * 0.5.squareRoot() / 2.0.squareRoot(), accuracy: 1e-9)
        XCTAssertNil(FinalMetricPlot.meanAndInterval([0.4])?.interval)
        XCTAssertNil(FinalMetricPlot.meanAndInterval([]))
        // The interval drawn is the one computed: its tooltip names it.
        let first = twelve.finalMetricPlot.panels[0].rows[0]
        let interval = try XCTUnwrap(first.summary?.interval)
        XCTAssertTrue(svg.contains("95% interval \(FinalMetricPlot.text(interval.low)) to \(FinalMetricPlot.text(interval.high))"))
    }

    func testDotsAreSpreadTheSameWayEveryTime() throws {
        let offsets = (0..<10).map(FinalMetricPlot.jitter)
        XCTAssertEqual(offsets[0], 0)
        XCTAssertTrue(offsets.allSatisfy { (-0.5...0.5).contains($0) })
        XCTAssertEqual(Set(offsets).count, 10)
        XCTAssertEqual(try PlotFixtures.threeGroups().finalMetricSVG, try PlotFixtures.threeGroups().finalMetricSVG)
    }

    func testTheReportEmbedsTheFinalPlotBetweenTheTableAndTheCurves() throws {
        let report = try PlotFixtures.threeGroups()
        XCTAssertEqual(report.files.map(\.name), ["REPORT.md", "summary.csv", "final.svg", "curves.svg", "grad_norm.svg"])
        let markdown = report.markdown
        let table = try XCTUnwrap(markdown.range(of: "| baseline for")), final = try XCTUnwrap(markdown.range(of: "](final.svg)"))
        let curves = try XCTUnwrap(markdown.range(of: "](curves.svg)"))
        XCTAssertLessThan(table.lowerBound, final.lowerBound)
        XCTAssertLessThan(final.lowerBound, curves.lowerBound)
    }

    func testPlotTextIsEscaped() throws {
        var report = try PlotFixtures.logMetric()
        report.arms[0].arm = "a<b & \"c\""
        for svg in [report.curvesSVG, report.finalMetricSVG, report.gradientNormSVG] {
            XCTAssertTrue(svg.contains("a&lt;b &amp; \"c\""), svg)
            XCTAssertFalse(svg.contains("a<b"))
        }
    }
}
