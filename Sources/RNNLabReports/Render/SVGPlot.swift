import Foundation

/// A line plot written as standalone SVG: one series per arm (a mean line with a min–max band), as small multiples
/// when it has several panels (one per group of comparable arms), each panel with its own axes and legend.
/// The y axis is logarithmic when asked for or when the panel's values span more than two decades
/// (`PlotScale.automatic`); ticks sit at round values (`PlotAxis`); titles and legend labels wrap; each series of a
/// panel has its own colour and dash pattern (`SeriesStyle`).
struct SVGPlot {
    struct Series {
        var label: String
        /// (x, mean, min, max) points.
        var points: [(x: Double, mean: Double, low: Double, high: Double)]
    }

    /// One panel: its title (nil for a figure of one panel) and its series.
    struct Panel {
        var title: String?
        var series: [Series]
    }

    /// How the y axis is scaled: chosen from each panel's values, or always logarithmic.
    enum YScale { case automatic, log }

    var title: String
    var xLabel: String
    var yLabel: String
    var yScale = YScale.automatic
    var panels: [Panel]

    /// A plot of one panel.
    init(title: String, xLabel: String, yLabel: String, yScale: YScale = .automatic, series: [Series]) {
        self.init(title: title, xLabel: xLabel, yLabel: yLabel, yScale: yScale, panels: [Panel(title: nil, series: series)])
    }

    /// A plot of small multiples, one panel each.
    init(title: String, xLabel: String, yLabel: String, yScale: YScale = .automatic, panels: [Panel]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yScale = yScale
        self.panels = panels
    }

    /// The y scale of a panel.
    func scale(of panel: Panel) -> PlotScale {
        switch yScale {
        case .log: return .log
        case .automatic: return PlotScale.automatic(for: panel.series.flatMap(\.points).flatMap { [$0.mean, $0.low, $0.high] })
        }
    }

    /// The plot as an SVG document.
    func render() -> String {
        let single = panels.count == 1
        let size = single ? (width: 520.0, height: 300.0) : (width: 330.0, height: 220.0)
        return SVGFigure(title: title, panels: panels.map { render($0, plotWidth: size.width, plotHeight: size.height) }).render()
    }

    static let tickSize = 11.0, labelSize = 12.0, panelTitleSize = 12.5, legendSize = 11.5
    static let legendLineHeight = 14.0

    /// One panel, in its own coordinates.
    func render(_ panel: Panel, plotWidth: Double, plotHeight: Double) -> SVGPanel {
        let points = panel.series.flatMap(\.points)
        let scale = scale(of: panel)
        var yAxis = PlotAxis.make(values: points.flatMap { [$0.mean, $0.low, $0.high] }, scale: scale,
                                  maxTicks: max(3, Int(plotHeight / 28)))
        let xs = points.map(\.x).filter(\.isFinite)
        var xAxis = PlotAxis.make(values: xs, scale: .linear, extend: false, integral: !xs.isEmpty && xs.allSatisfy { $0 == $0.rounded() },
                                  maxTicks: 10) { labels in
            labels.reduce(0) { $0 + PlotText.width($1, size: Self.tickSize) + 16 } <= plotWidth
        }
        if points.isEmpty { (xAxis.ticks, yAxis.ticks) = ([], []) }
        let tickWidth = yAxis.ticks.map { PlotText.width($0.label, size: Self.tickSize) }.max() ?? 20
        let left = 24 + tickWidth + 8
        let panelWidth = left + plotWidth + 12
        let titleLines = panel.title.map { PlotText.wrap($0, width: panelWidth - 8, size: Self.panelTitleSize, bold: true) } ?? []
        let top = titleLines.isEmpty ? 8 : 8 + Double(titleLines.count) * 16 + 10
        var svg = PlotText.svg(titleLines, x: 4, y: 8 + Self.panelTitleSize, lineHeight: 16,
                               attributes: "class=\"panel-title\" font-size=\"\(Self.panelTitleSize)\" font-weight=\"bold\"")
        func px(_ x: Double) -> Double? { xAxis.fraction(x).map { left + $0 * plotWidth } }
        func py(_ y: Double) -> Double? { yAxis.fraction(y).map { top + (1 - $0) * plotHeight } }
        let n = PlotText.number
        let bottom = top + plotHeight
        for tick in yAxis.ticks {
            guard let y = py(tick.value) else { continue }
            svg += "<line x1=\"\(n(left - 4))\" y1=\"\(n(y))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y))\" stroke=\"#e3e3e3\"/>"
            svg += "<text x=\"\(n(left - 7))\" y=\"\(n(y + 4))\" text-anchor=\"end\" font-size=\"\(Self.tickSize)\">\(Escaping.xml(tick.label))</text>\n"
        }
        svg += PlotFrame.bottomAxis(ticks: xAxis.ticks, px: px, area: (left, top, plotWidth, plotHeight), tickTop: bottom, tickColour: "#444",
                                    label: xLabel, tickSize: Self.tickSize)
        let yLabelText = yLabel + (yAxis.scale == .log ? " (log scale)" : "")
        svg += "<text x=\"14\" y=\"\(n(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n(top + plotHeight / 2)))\">"
            + "\(Escaping.xml(yLabelText))</text>\n"
        if points.isEmpty {
            svg += "<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(top + plotHeight / 2))\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n"
        }
        for (index, series) in panel.series.enumerated() {
            svg += draw(series, style: SeriesStyle.at(index), x: px, y: py, floor: bottom)
        }
        let legend = legend(panel.series, x: left, y: bottom + 48, width: plotWidth)
        svg += legend.svg
        return SVGPanel(width: panelWidth, height: legend.bottom + 4, body: svg)
    }

    /// A series' band (min to max; on a log axis a minimum that is not positive is drawn at the axis floor), its mean
    /// line (broken where a value cannot be shown) and, for a lone point, a marker.
    func draw(_ series: Series, style: SeriesStyle, x px: (Double) -> Double?, y py: (Double) -> Double?, floor: Double) -> String {
        let n = PlotText.number
        var svg = "<g class=\"series\">"
        let band = series.points.compactMap { point -> (x: Double, low: Double, high: Double)? in
            guard let x = px(point.x), let high = py(point.high), point.low.isFinite else { return nil }
            return (x, py(point.low) ?? floor, high)
        }
        if band.count > 1 {
            let outline = band.map { "\(n($0.x)),\(n($0.high))" } + band.reversed().map { "\(n($0.x)),\(n($0.low))" }
            svg += "<polygon points=\"\(outline.joined(separator: " "))\" fill=\"\(style.color)\" fill-opacity=\"0.13\" stroke=\"none\"/>"
        }
        var segments: [[(x: Double, y: Double)]] = [[]]
        for point in series.points {
            if let x = px(point.x), let y = py(point.mean) {
                segments[segments.count - 1].append((x, y))
            } else if !(segments.last?.isEmpty ?? true) {
                segments.append([])
            }
        }
        for segment in segments {
            if segment.count == 1, let only = segment.first {
                svg += "<circle cx=\"\(n(only.x))\" cy=\"\(n(only.y))\" r=\"3\" fill=\"\(style.color)\"/>"
            } else if segment.count > 1 {
                let line = segment.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
                svg += "<polyline points=\"\(line)\" fill=\"none\"\(style.strokeAttributes) stroke-width=\"1.8\"/>"
            }
        }
        return svg + "</g>\n"
    }

    /// The legend under the plot: one entry per series (its line style and its label, wrapped), in two columns when
    /// there are many series with short labels; it grows downwards as far as it needs.
    func legend(_ series: [Series], x: Double, y: Double, width: Double) -> (svg: String, bottom: Double) {
        guard !series.isEmpty else { return ("", y - 14) }
        let widest = series.map { PlotText.width($0.label, size: Self.legendSize) }.max() ?? 0
        let columns = series.count > 4 && widest <= width / 2 - 40 ? 2 : 1
        let columnWidth = width / Double(columns)
        let n = PlotText.number
        var svg = "<g class=\"legend\" font-size=\"\(Self.legendSize)\">"
        var top = y
        for rowStart in stride(from: 0, to: series.count, by: columns) {
            var rowLines = 1
            for column in 0..<columns where rowStart + column < series.count {
                let index = rowStart + column
                let style = SeriesStyle.at(index)
                let left = x + Double(column) * columnWidth
                let lines = PlotText.wrap(series[index].label, width: columnWidth - 40, size: Self.legendSize)
                rowLines = max(rowLines, lines.count)
                svg += "<line x1=\"\(n(left))\" y1=\"\(n(top - 4))\" x2=\"\(n(left + 28))\" y2=\"\(n(top - 4))\"\(style.strokeAttributes) stroke-width=\"2.2\"/>"
                svg += PlotText.svg(lines, x: left + 34, y: top, lineHeight: Self.legendLineHeight)
            }
            top += Double(rowLines) * Self.legendLineHeight + 3
        }
        return (svg + "</g>\n", top - Self.legendLineHeight)
    }
}
