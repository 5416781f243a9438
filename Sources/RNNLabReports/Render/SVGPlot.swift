import Foundation
import RealModule

/// A small line plot written as standalone SVG: one series per arm, a mean
/// line with a min–max band, axes with ticks, and a legend.
struct SVGPlot {
    struct Series {
        var label: String
        /// (x, mean, min, max) points.
        var points: [(x: Double, mean: Double, low: Double, high: Double)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var logY = false
    var series: [Series]

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    func render(plotAreaWidth: Double = 450, height: Double = 420) -> String {
        // The legend column is as wide as the longest label (about 7 px per character at 12 px).
        let legendWidth = max(200, 50 + 7 * Double(series.map(\.label.count).max() ?? 0))
        let (left, right, top, bottom) = (70.0, legendWidth, 40.0, 50.0)
        let width = left + plotAreaWidth + right
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let transform: (Double) -> Double = { logY ? Double.log10(max($0, 1e-12)) : $0 }
        let finite = series.flatMap(\.points).filter { $0.mean.isFinite && $0.low.isFinite && $0.high.isFinite }
        let xs = finite.map(\.x), ys = finite.flatMap { [transform($0.low), transform($0.high)] }
        let (xMin, xMax) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9))
        var (yMin, yMax) = (ys.min() ?? 0, ys.max() ?? 1)
        if yMax - yMin < 1e-12 { yMin -= 0.5; yMax += 0.5 }
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (transform(y) - yMin) / (yMax - yMin)) * plotHeight }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="22" font-size="14" font-weight="bold">\(Escaping.xml(title))</text>
        <rect x="\(left)" y="\(top)" width="\(plotWidth)" height="\(plotHeight)" fill="none" stroke="#444"/>

        """
        for i in 0...4 {
            let fraction = Double(i) / 4
            let integral = xs.allSatisfy { $0 == $0.rounded() } && xMax - xMin >= 4
            let xValue = integral ? (xMin + fraction * (xMax - xMin)).rounded() : xMin + fraction * (xMax - xMin)
            let yValue = yMin + fraction * (yMax - yMin)
            let yText = logY ? format(Double.pow(10, yValue)) : format(yValue)
            let yPixel = top + (1 - fraction) * plotHeight
            svg += "<line x1=\"\(px(xValue))\" y1=\"\(top + plotHeight)\" x2=\"\(px(xValue))\" y2=\"\(top + plotHeight + 5)\" stroke=\"#444\"/>"
            svg += "<text x=\"\(px(xValue))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(format(xValue))</text>\n"
            svg += "<line x1=\"\(left - 5)\" y1=\"\(yPixel)\" x2=\"\(left + plotWidth)\" y2=\"\(yPixel)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(yPixel + 4)\" text-anchor=\"end\">\(yText)</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(Escaping.xml(xLabel))</text>\n"
        svg += "<text x=\"16\" y=\"\(top + plotHeight / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(top + plotHeight / 2))\">\(Escaping.xml(yLabel))</text>\n"
        for (index, s) in series.enumerated() {
            let color = SVGPlot.colors[index % SVGPlot.colors.count]
            let points = s.points.filter { $0.mean.isFinite && $0.low.isFinite && $0.high.isFinite }
            if points.count > 1 {
                let upper = points.map { "\(px($0.x)),\(py($0.high))" }
                let lower = points.reversed().map { "\(px($0.x)),\(py($0.low))" }
                svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
            }
            svg += "<polyline points=\"\(points.map { "\(px($0.x)),\(py($0.mean))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
            let legendY = top + 10 + Double(index) * 18
            svg += "<line x1=\"\(width - right + 12)\" y1=\"\(legendY)\" x2=\"\(width - right + 32)\" y2=\"\(legendY)\" stroke=\"\(color)\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(width - right + 38)\" y=\"\(legendY + 4)\">\(Escaping.xml(s.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func format(_ value: Double) -> String {
        if value != 0 && (abs(value) >= 10_000 || abs(value) < 0.01) { return String(format: "%.2g", value) }
        return String(format: abs(value) >= 100 ? "%.0f" : "%.3g", value)
    }
}
