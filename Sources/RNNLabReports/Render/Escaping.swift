import Foundation

/// Escaping for each format the reports are written in: the one place that knows which characters each format
/// treats specially. Every renderer escapes through these functions.
public enum Escaping {
    /// Text in Markdown prose (captions): `<` and `>` as HTML entities, so that words such as `<unk>` show
    /// instead of being taken for HTML tags.
    public static func markdownText(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Text in a LaTeX table: backslash, `_`, `%` and `&` made literal.
    public static func latex(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\textbackslash{}").replacingOccurrences(of: "_", with: "\\_")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "&", with: "\\&")
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
