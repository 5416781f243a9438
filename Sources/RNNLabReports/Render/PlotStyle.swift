/// How the plots tell series apart: a colour and a dash pattern per series. The colour cycles fastest and the dash
/// pattern changes each time the colours come round again, so the (colour, dash) pair never repeats within the first
/// `colors.count × dashes.count` (40) series of a panel.
struct SeriesStyle: Equatable, Hashable, Sendable {
    /// An SVG colour ("#1f77b4").
    var color: String
    /// An SVG `stroke-dasharray`, nil for a solid line.
    var dash: String?

    /// The ten colours of the cycle (matplotlib's "tab10").
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    /// Solid, dashed, dotted and dash-dotted.
    static let dashes: [String?] = [nil, "7 3", "2 2.5", "8 3 2 3"]

    /// The style of the `index`-th series (from 0) of a panel.
    static func at(_ index: Int) -> SeriesStyle {
        let index = max(index, 0)
        return SeriesStyle(color: colors[index % colors.count], dash: dashes[(index / colors.count) % dashes.count])
    }

    /// ` stroke="…"` plus ` stroke-dasharray="…"` when dashed, for a line element.
    var strokeAttributes: String {
        " stroke=\"\(color)\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
    }
}
