import Foundation

/// Escaping for each format the reports are written in: the one place that knows which characters each format
/// treats specially. Every renderer escapes through these functions.
public enum Escaping {
    /// Text in Markdown prose (captions): `<` and `>` as HTML entities, so that words such as `<unk>` show
    /// instead of being taken for HTML tags.
    public static func markdownText(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Text in a LaTeX table, made literal: the ten special characters (`\ { } $ & # ^ _ % ~`) and `<`, `>`, `|`
    /// (which the default OT1 font encoding prints as other glyphs). Other characters are left as they are.
    public static func latex(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\textbackslash{}"
            case "{", "}", "$", "&", "#", "_", "%": escaped += "\\\(character)"
            case "^": escaped += "\\textasciicircum{}"
            case "~": escaped += "\\textasciitilde{}"
            case "<": escaped += "\\textless{}"
            case ">": escaped += "\\textgreater{}"
            case "|": escaped += "\\textbar{}"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A quoted CSV field (RFC 4180): in double quotes, with every double quote doubled.
    public static func csvField(_ text: String) -> String {
        "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\""
    }

    /// Text content of an SVG (XML) element: `&`, `<` and `>` as entities.
    public static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
