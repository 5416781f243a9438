import Foundation

/// Text in the SVG plots: an estimate of its width (SVG has no text measurement), word wrapping to a width, and
/// the `<text>` element of one or more lines, escaped.
enum PlotText {
    /// The estimated width of `text` in pixels at `size` px in a sans-serif font (DejaVu Sans, the widest usual
    /// default, averages about 0.6 em per character; bold about 0.67 em).
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        Double(text.count) * size * (bold ? 0.67 : 0.6)
    }

    /// `text` broken into lines no wider than `width` pixels: at spaces, and inside a word only when the word alone is
    /// wider than a line, preferably after one of `. , = / -` (so "training.optimizer.learning_rate=0.01" breaks as
    /// "training.optimizer." and "learning_rate=0.01"). Never drops a character other than the spaces it breaks at;
    /// empty text is no line.
    static func wrap(_ text: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        let perLine = max(4, Int(width / (size * (bold ? 0.67 : 0.6))))
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if !current.isEmpty && current.count + 1 + word.count <= perLine {
                current += " " + word
                continue
            }
            if !current.isEmpty { lines.append(current); current = "" }
            guard word.count > perLine else { current = word; continue }
            for piece in pieces(of: word, atMost: perLine) {
                if !current.isEmpty && current.count + piece.count > perLine { lines.append(current); current = "" }
                current += piece
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// A word cut after each of `. , = / -`, and any piece still longer than `limit` cut every `limit` characters.
    static func pieces(of word: String, atMost limit: Int) -> [String] {
        var pieces: [String] = [], current = ""
        for character in word {
            current.append(character)
            if ".,=/-".contains(character) { pieces.append(current); current = "" }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces.flatMap { piece -> [String] in
            stride(from: 0, to: piece.count, by: limit).map { start in
                String(piece.dropFirst(start).prefix(limit))
            }
        }
    }

    /// A `<text>` element with one `<tspan>` per line, the first line's baseline at `y`, each next one `lineHeight`
    /// lower; `attributes` are added to the element as they are (font size, anchor, class).
    static func svg(_ lines: [String], x: Double, y: Double, lineHeight: Double, attributes: String = "") -> String {
        guard !lines.isEmpty else { return "" }
        let spans = lines.enumerated().map { index, line in
            "<tspan x=\"\(number(x))\" y=\"\(number(y + Double(index) * lineHeight))\">\(Escaping.xml(line))</tspan>"
        }
        return "<text\(attributes.isEmpty ? "" : " " + attributes)>" + spans.joined() + "</text>\n"
    }

    /// A coordinate for SVG: at most two decimals, no trailing zeros, no exponent.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (min(max(value, -1e9), 1e9) * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
