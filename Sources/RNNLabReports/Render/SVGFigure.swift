/// One panel of a figure: SVG drawn in its own coordinates, (0, 0) at its top left, and its size.
struct SVGPanel: Sendable {
    var width: Double
    var height: Double
    /// The panel's elements.
    var body: String
}

/// A standalone SVG figure: a title wrapped onto as many lines as it needs (the panels move down to make room),
/// optional notes under it, and its panels as small multiples in a grid of up to `maxColumns` columns, each row as
/// tall as its tallest panel.
struct SVGFigure: Sendable {
    var title: String
    var notes: [String] = []
    var panels: [SVGPanel]
    var maxColumns = 3

    static let margin = 12.0
    static let titleSize = 15.0, titleLineHeight = 19.0
    static let noteSize = 11.5, noteLineHeight = 15.0
    static let gap = 14.0

    /// The figure as an SVG document.
    func render() -> String {
        let columns = max(1, min(maxColumns, panels.count))
        let cellWidth = panels.map(\.width).max() ?? 300
        let gridWidth = Double(columns) * cellWidth + Double(columns - 1) * Self.gap
        let width = (gridWidth + 2 * Self.margin).rounded(.up)
        let textWidth = width - 2 * Self.margin
        let titleLines = PlotText.wrap(title, width: textWidth, size: Self.titleSize, bold: true)
        let noteLines = notes.flatMap { PlotText.wrap($0, width: textWidth, size: Self.noteSize) }
        var y = Self.margin + Self.titleSize
        var body = PlotText.svg(titleLines, x: Self.margin, y: y, lineHeight: Self.titleLineHeight,
                                attributes: "class=\"title\" font-size=\"\(Self.titleSize)\" font-weight=\"bold\"")
        y += Double(max(titleLines.count - 1, 0)) * Self.titleLineHeight
        if !noteLines.isEmpty {
            y += Self.noteLineHeight + 2
            body += PlotText.svg(noteLines, x: Self.margin, y: y, lineHeight: Self.noteLineHeight,
                                 attributes: "class=\"note\" font-size=\"\(Self.noteSize)\" fill=\"#444\"")
            y += Double(noteLines.count - 1) * Self.noteLineHeight
        }
        y += 12
        for rowStart in stride(from: 0, to: panels.count, by: columns) {
            let row = panels[rowStart..<min(rowStart + columns, panels.count)]
            for (column, panel) in row.enumerated() {
                let x = Self.margin + Double(column) * (cellWidth + Self.gap)
                body += "<g class=\"panel\" transform=\"translate(\(PlotText.number(x)) \(PlotText.number(y)))\">\n\(panel.body)</g>\n"
            }
            y += (row.map(\.height).max() ?? 0) + Self.gap
        }
        let height = (y - Self.gap + Self.margin).rounded(.up)
        let size = "width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) font-family=\"sans-serif\" font-size=\"12\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }
}
