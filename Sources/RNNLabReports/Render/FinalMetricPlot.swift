import Foundation
import RNNLabExperiments

/// The final-metric plot (`final.svg`): for each group of comparable arms one panel, the arms as rows, each complete
/// run's test value of the primary metric as a dot (spread vertically by a fixed pattern, so that equal values stay
/// visible and the picture is the same every time), and the arm's mean as a diamond with its 95% confidence interval
/// (Student's t, mean ± t₀.₉₇₅,ₙ₋₁ · s/√n; a lone run has none). A dashed line marks the group's trivial baseline.
struct FinalMetricPlot {
    /// One arm: its label and its runs' values.
    struct Row {
        var arm: String
        var values: [Double]

        /// The mean and, from two values on, the 95% t-interval of `values`; nil for none.
        var summary: (mean: Double, interval: (low: Double, high: Double)?)? { FinalMetricPlot.meanAndInterval(values) }
    }

    /// One group of comparable arms: its title (nil when it is the only one), rows and trivial baseline.
    struct Panel {
        var title: String?
        var rows: [Row]
        var baseline: Double?
    }

    var title: String
    /// The value axis' label ("test mse (lower is better)").
    var axisLabel: String
    var panels: [Panel]

    /// The mean of `values` and, for n ≥ 2, its 95% confidence interval mean ± t_{0.975, n−1} · s/√n, s the sample
    /// standard deviation; nil for no values.
    static func meanAndInterval(_ values: [Double]) -> (mean: Double, interval: (low: Double, high: Double)?)? {
        guard let s = SeedStatistics.meanAndStd(values) else { return nil }
        guard values.count > 1 else { return (s.mean, nil) }
        let half = StudentT.quantile(0.975, df: Double(values.count - 1)) * s.std / Double(values.count).squareRoot()
        return (s.mean, (s.mean - half, s.mean + half))
    }

    /// The value scale of a panel: from its runs' values and its baseline (`PlotScale.automatic`).
    static func scale(of panel: Panel) -> PlotScale {
        PlotScale.automatic(for: panel.rows.flatMap(\.values) + (panel.baseline.map { [$0] } ?? []))
    }

    static let notes = ["Each dot is one complete run (one seed); ◆ the arm's mean with its 95% confidence interval "
                        + "(Student's t: mean ± t · s/√n; none for a single run); dashed line: the group's trivial baseline."]
    static let tickSize = 11.0, labelSize = 11.5, panelTitleSize = 12.5

    /// The plot as an SVG document.
    func render() -> String {
        let single = panels.count == 1
        let plotWidth = single ? 440.0 : 300.0
        let labels = panels.flatMap(\.rows).map { rowLabel($0) }
        let labelWidth = min(single ? 220 : 170, max(60, labels.map { PlotText.width($0, size: Self.labelSize) }.max() ?? 60))
        return SVGFigure(title: title, notes: Self.notes,
                         panels: panels.map { render($0, plotWidth: plotWidth, labelWidth: labelWidth) }).render()
    }

    /// "arm (n = 3)".
    func rowLabel(_ row: Row) -> String { "\(row.arm) (n = \(row.values.count))" }

    /// One panel, in its own coordinates: row labels on the left, the value axis at the bottom.
    func render(_ panel: Panel, plotWidth: Double, labelWidth: Double) -> SVGPanel {
        let n = PlotText.number
        let summaries = panel.rows.map(\.summary)
        let scale = Self.scale(of: panel)
        let extent = panel.rows.flatMap(\.values) + (panel.baseline.map { [$0] } ?? [])
            + summaries.compactMap { $0?.interval }.flatMap { [$0.low, $0.high] }
        let axis = PlotAxis.make(values: extent, scale: scale, maxTicks: 9) { labels in
            labels.reduce(0) { $0 + PlotText.width($1, size: Self.tickSize) + 14 } <= plotWidth
        }
        let left = labelWidth + 16
        let panelWidth = left + plotWidth + 12
        let titleLines = panel.title.map { PlotText.wrap($0, width: panelWidth - 8, size: Self.panelTitleSize, bold: true) } ?? []
        var svg = PlotText.svg(titleLines, x: 4, y: 8 + Self.panelTitleSize, lineHeight: 16,
                               attributes: "class=\"panel-title\" font-size=\"\(Self.panelTitleSize)\" font-weight=\"bold\"")
        let top = 8 + Double(titleLines.count) * 16 + (panel.baseline == nil ? 6 : 20)
        let rowLines = panel.rows.map { PlotText.wrap(rowLabel($0), width: labelWidth, size: Self.labelSize) }
        let rowHeights = rowLines.map { max(30, Double($0.count) * 14 + 12) }
        let plotHeight = max(30, rowHeights.reduce(0, +))
        let bottom = top + plotHeight
        func px(_ value: Double) -> Double? { axis.fraction(value).map { left + $0 * plotWidth } }
        var rowTop = top
        for (index, height) in rowHeights.enumerated() where index % 2 == 1 {
            let y = top + rowHeights[..<index].reduce(0, +)
            svg += "<rect x=\"\(n(left))\" y=\"\(n(y))\" width=\"\(n(plotWidth))\" height=\"\(n(height))\" fill=\"#f4f4f4\"/>"
        }
        svg += PlotFrame.bottomAxis(ticks: axis.ticks, px: px, area: (left, top, plotWidth, plotHeight), tickTop: top, tickColour: "#dcdcdc",
                                    label: axisLabel + (axis.scale == .log ? " (log scale)" : ""), tickSize: Self.tickSize)
        if let baseline = panel.baseline, let x = px(baseline) {
            svg += "<line class=\"baseline\" x1=\"\(n(x))\" y1=\"\(n(top - 4))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#777\" stroke-dasharray=\"5 3\"/>"
            let anchor = x > left + plotWidth * 0.75 ? "end" : "start"
            svg += "<text x=\"\(n(x + (anchor == "end" ? -3 : 3)))\" y=\"\(n(top - 6))\" text-anchor=\"\(anchor)\" font-size=\"10.5\" fill=\"#555\">"
                + "baseline</text>\n"
        }
        for (index, row) in panel.rows.enumerated() {
            let centre = rowTop + rowHeights[index] / 2
            let lines = rowLines[index]
            svg += PlotText.svg(lines, x: left - 8, y: centre + 4 - Double(lines.count - 1) * 7, lineHeight: 14,
                                attributes: "class=\"arm\" text-anchor=\"end\" font-size=\"\(Self.labelSize)\"")
            svg += draw(row, summary: summaries[index], style: SeriesStyle.at(index), centre: centre, x: px,
                        plot: (left, left + plotWidth))
            rowTop += rowHeights[index]
        }
        return SVGPanel(width: panelWidth, height: bottom + 40, body: svg)
    }

    /// A row's dots (above its centre line) and its mean and interval (below it); an interval end the axis cannot
    /// show (not positive on a log axis) runs to the axis' edge and ends in an arrowhead instead of a bar.
    func draw(_ row: Row, summary: (mean: Double, interval: (low: Double, high: Double)?)?, style: SeriesStyle, centre: Double,
              x px: (Double) -> Double?, plot: (left: Double, right: Double)) -> String {
        let n = PlotText.number
        guard let summary else {
            return "<text x=\"\(n(plot.left + 8))\" y=\"\(n(centre + 4))\" font-size=\"11\" fill=\"#888\">no complete run</text>\n"
        }
        var svg = ""
        for (index, value) in row.values.enumerated() {
            guard let x = px(value) else { continue }
            svg += "<circle class=\"run\" cx=\"\(n(x))\" cy=\"\(n(centre - 5 + 8 * Self.jitter(index)))\" r=\"3.5\" fill=\"\(style.color)\" "
                + "fill-opacity=\"0.8\" stroke=\"white\" stroke-width=\"0.6\"><title>\(Self.text(value))</title></circle>"
        }
        let y = centre + 6
        var tooltip = "mean \(Self.text(summary.mean))", marks = ""
        if let interval = summary.interval {
            tooltip += ", 95% interval \(Self.text(interval.low)) to \(Self.text(interval.high))"
            let low = px(interval.low), high = px(interval.high)
            let (start, end) = (low ?? plot.left, high ?? plot.right)
            marks += "<line class=\"interval\" x1=\"\(n(start))\" y1=\"\(n(y))\" x2=\"\(n(end))\" y2=\"\(n(y))\" stroke=\"black\" stroke-width=\"1.5\"/>"
            for (x, shown, direction) in [(start, low != nil, -1.0), (end, high != nil, 1.0)] {
                marks += shown
                    ? "<line x1=\"\(n(x))\" y1=\"\(n(y - 4))\" x2=\"\(n(x))\" y2=\"\(n(y + 4))\" stroke=\"black\" stroke-width=\"1.5\"/>"
                    : "<polygon points=\"\(n(x)),\(n(y)) \(n(x - 7 * direction)),\(n(y - 4)) \(n(x - 7 * direction)),\(n(y + 4))\" fill=\"black\"/>"
            }
        }
        if let x = px(summary.mean) {
            marks += "<polygon points=\"\(n(x)),\(n(y - 5)) \(n(x + 5)),\(n(y)) \(n(x)),\(n(y + 5)) \(n(x - 5)),\(n(y))\" fill=\"black\"/>"
        }
        return svg + "<g class=\"mean\"><title>\(Escaping.xml(tooltip))</title>\(marks)</g>\n"
    }

    /// The vertical offset of the `index`-th run's dot, in −0.5…0.5: the golden-ratio sequence, so that the dots of
    /// any number of runs spread evenly and the same runs always land in the same places.
    static func jitter(_ index: Int) -> Double {
        (Double(index) * 0.618_033_988_749_895 + 0.5).truncatingRemainder(dividingBy: 1) - 0.5
    }

    /// A value in a tooltip: four significant digits.
    static func text(_ value: Double) -> String { String(format: "%.4g", value) }
}

extension ExperimentReport {
    /// The final-metric plot's values: one panel per group of comparable arms, one row per arm with its complete runs'
    /// test values of the primary metric.
    var finalMetricPlot: FinalMetricPlot {
        let metric = experiment.report.metric
        return FinalMetricPlot(
            title: "\(experiment.title): test \(metric) per arm",
            axisLabel: "test \(metric) (\(experiment.report.lowerIsBetter ? "lower" : "higher") is better)",
            panels: plotGroups.map { group in
                FinalMetricPlot.Panel(title: group.title,
                                      rows: group.members.map { FinalMetricPlot.Row(arm: arms[$0].arm, values: arms[$0].values[metric] ?? []) },
                                      baseline: group.members.lazy.compactMap { self.arms[$0].baseline[metric] }.first)
            })
    }

    /// The final-metric plot (`final.svg`): each run's test value of the primary metric as a dot, each arm's mean
    /// with its 95% confidence interval, one panel per group of comparable arms.
    public var finalMetricSVG: String { finalMetricPlot.render() }
}
