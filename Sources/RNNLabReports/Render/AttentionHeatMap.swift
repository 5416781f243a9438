import Foundation

/// A heat map of attention weights as standalone SVG: one row per output token,
/// one column per source token, darker for more weight.
public struct AttentionHeatMap: Sendable {
    public var title: String
    public var sourceTokens: [String]
    public var outputTokens: [String]
    /// weights[output row][source column], each row summing to 1.
    public var weights: [[Double]]

    public init(title: String, sourceTokens: [String], outputTokens: [String], weights: [[Double]]) {
        self.title = title
        self.sourceTokens = sourceTokens
        self.outputTokens = outputTokens
        self.weights = weights
    }

    /// The heat map as a standalone SVG document.
    public func render(cell: Double = 20) -> String {
        // Columns are wide enough for their longest token (about 7.5 px per character at 12 px);
        // the picture is wide enough for its title up to 520 px, and the title wraps beyond that.
        let column = max(cell, 7.5 * Double(sourceTokens.map(\.count).max() ?? 1) + 6)
        let left = 40.0 + 8 * Double(outputTokens.map(\.count).max() ?? 1)
        let width = max(left + column * Double(sourceTokens.count) + 90, min(520, 16 + PlotText.width(title, size: 13, bold: true)))
        let titleLines = PlotText.wrap(title, width: width - 16, size: 13, bold: true)
        let top = 60.0 + 17 * Double(max(titleLines.count - 1, 0))
        let height = top + cell * Double(outputTokens.count) + 30
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="monospace" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        \(PlotText.svg(titleLines, x: 8, y: 18, lineHeight: 17, attributes: "font-family=\"sans-serif\" font-size=\"13\" font-weight=\"bold\""))\
        <text x="\(left)" y="\(top - 24)" font-family="sans-serif" font-size="11">source →</text>
        <text x="8" y="\(top + 14)" font-family="sans-serif" font-size="11">output ↓</text>

        """
        for (s, token) in sourceTokens.enumerated() {
            svg += "<text x=\"\(left + column * (Double(s) + 0.5))\" y=\"\(top - 6)\" text-anchor=\"middle\">\(Escaping.xml(token))</text>"
        }
        svg += "\n"
        for (t, token) in outputTokens.enumerated() {
            let y = top + cell * Double(t)
            svg += "<text x=\"\(left - 6)\" y=\"\(y + cell * 0.7)\" text-anchor=\"end\">\(Escaping.xml(token))</text>"
            for (s, weight) in (t < weights.count ? weights[t] : []).enumerated() where s < sourceTokens.count {
                let shade = Int((255 * (1 - min(max(weight, 0), 1))).rounded())
                svg += "<rect x=\"\(left + column * Double(s))\" y=\"\(y)\" width=\"\(column)\" height=\"\(cell)\" fill=\"rgb(\(shade),\(shade),255)\"><title>\(String(format: "%.3f", weight))</title></rect>"
            }
            svg += "\n"
        }
        let gridRight = left + column * Double(sourceTokens.count), gridBottom = top + cell * Double(outputTokens.count)
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(gridRight - left)\" height=\"\(gridBottom - top)\" fill=\"none\" stroke=\"#444\"/>\n"
        // Legend: 0 to 1.
        for i in 0...10 {
            let shade = Int((255 * (1 - Double(i) / 10)).rounded())
            svg += "<rect x=\"\(gridRight + 20)\" y=\"\(top + Double(10 - i) * 8)\" width=\"14\" height=\"8\" fill=\"rgb(\(shade),\(shade),255)\"/>"
        }
        svg += "<text x=\"\(gridRight + 40)\" y=\"\(top + 8)\">1</text><text x=\"\(gridRight + 40)\" y=\"\(top + 88)\">0</text>\n"
        return svg + "</svg>\n"
    }
}
