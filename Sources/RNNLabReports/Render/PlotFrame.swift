/// The frame of a plot area and its bottom value axis, shared by the line plots and the final-metric plot.
enum PlotFrame {
    /// The plot area's frame, the bottom axis's ticks with their labels, and the axis label under them.
    /// `px` maps a value to its x position (nil where the axis cannot show it); each tick's line runs from
    /// `tickTop` (the area's top for grid lines, its bottom for tick marks) to 4 px under the area.
    static func bottomAxis(ticks: [PlotTick], px: (Double) -> Double?, area: (left: Double, top: Double, width: Double, height: Double),
                           tickTop: Double, tickColour: String, label: String, tickSize: Double) -> String {
        let n = PlotText.number
        let bottom = area.top + area.height
        var svg = ""
        for tick in ticks {
            guard let x = px(tick.value) else { continue }
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(tickTop))\" x2=\"\(n(x))\" y2=\"\(n(bottom + 4))\" stroke=\"\(tickColour)\"/>"
            svg += "<text x=\"\(n(x))\" y=\"\(n(bottom + 17))\" text-anchor=\"middle\" font-size=\"\(tickSize)\">\(Escaping.xml(tick.label))</text>\n"
        }
        svg += "<rect x=\"\(n(area.left))\" y=\"\(n(area.top))\" width=\"\(n(area.width))\" height=\"\(n(area.height))\" fill=\"none\" stroke=\"#444\"/>\n"
        svg += "<text x=\"\(n(area.left + area.width / 2))\" y=\"\(n(bottom + 33))\" text-anchor=\"middle\">\(Escaping.xml(label))</text>\n"
        return svg
    }
}
