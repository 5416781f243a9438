import Foundation

/// Rejects YAML keys that are, or hold, aliases before Yams composes the file.
///
/// Yams checks a mapping for duplicate keys by hashing each key whole, before
/// `ExperimentLimits` can count anything: an alias bomb used as a key
/// (`*bomb : x`, `? *bomb`, `[*bomb]: x`) would be hashed for hours. An
/// experiment file's keys are plain words, so in a file that uses aliases an
/// alias before a colon, an explicit `?` key, or a list or mapping before a
/// colon is an error at its line. (Only files with aliases are checked, so a
/// quoted text that merely looks like such a key is never rejected otherwise.)
enum AliasKeyCheck {
    /// An alias: `*` and an anchor name (libyaml's: letters, digits, '-', '_') after a separator.
    static let alias = #"(^|[\s,\[{:-])\*[A-Za-z0-9_-]"#
    /// What makes a key that is not a plain word: an alias before a colon (an anchor name
    /// cannot hold one), an explicit key, a list or mapping before a colon.
    static let complexKeys = [#"\*[A-Za-z0-9_-]+\s*:"#, #"(?:^|(?<=[\s,\[{]))\?(?=\s|$)"#, #"[\]}]\s*:(\s|$)"#]

    static func check(_ text: String, file: String) throws {
        guard text.contains("*"), text.range(of: alias, options: .regularExpression) != nil else { return }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // A comment starts at a '#' at the start or after a space.
            let content = line.range(of: #"(^|\s)#"#, options: .regularExpression).map { String(line[..<$0.lowerBound]) } ?? String(line)
            for pattern in complexKeys {
                guard let match = content.range(of: pattern, options: .regularExpression) else { continue }
                let column = content.distance(from: content.startIndex, to: match.lowerBound) + 1
                throw ExperimentError(position: SourcePosition(file: file, line: index + 1, column: column),
                                      key: ConfigNode.enclosingKey(in: text, line: index + 1),
                                      message: "a key that is an alias, or a list or mapping, is not supported in a file with YAML aliases "
                                      + "(keys are plain words)")
            }
        }
    }
}
