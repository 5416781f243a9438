import Foundation
import Yams

/// A place in an experiment file, for error messages.
public struct SourcePosition: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}

/// An experiment file that cannot be used, located by file, line, column and key.
public struct ExperimentError: Error, Equatable, CustomStringConvertible {
    public var position: SourcePosition
    /// The dotted key, e.g. "training.optimizer.learning_rate".
    public var key: String
    public var message: String

    public var description: String { "\(position): \(key.isEmpty ? "" : "\(key): ")\(message)" }
}

/// A YAML value with the position it was written at.
public indirect enum ConfigNode: Equatable, Sendable {
    case scalar(String, SourcePosition)
    case mapping([(key: String, keyPosition: SourcePosition, value: ConfigNode)], SourcePosition)
    case sequence([ConfigNode], SourcePosition)

    public var position: SourcePosition {
        switch self {
        case .scalar(_, let p), .mapping(_, let p), .sequence(_, let p): p
        }
    }

    public static func == (a: ConfigNode, b: ConfigNode) -> Bool {
        switch (a, b) {
        case (.scalar(let x, _), .scalar(let y, _)): x == y
        case (.sequence(let x, _), .sequence(let y, _)): x == y
        case (.mapping(let x, _), .mapping(let y, _)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: false
        }
    }

    /// Parses YAML text; a syntax error is reported with its position, and so is a file
    /// past `ExperimentLimits` (values once aliases are expanded, nesting depth).
    public static func parse(_ text: String, file: String) throws -> ConfigNode {
        try AliasKeyCheck.check(text, file: file)
        let document: ComposedYAML
        do {
            document = try ComposedYAML(text)
        } catch let error as YamlError {
            var at = position(of: error, file: file)
            if case .duplicatedKeysInMapping(let duplicates, _) = error, let name = duplicates.first?.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) {
                // Point at the second occurrence of the key.
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let hits = lines.indices.filter { lines[$0].drop(while: { $0 == " " || $0 == "-" }).hasPrefix(name + ":") }
                if hits.count > 1 { at = SourcePosition(file: file, line: hits[1] + 1, column: 1) }
            }
            throw ExperimentError(position: at, key: enclosingKey(in: text, line: at.line), message: "not valid YAML: \(brief(error))")
        }
        // No node of the tree may outlive the document, which frees it (see ComposedYAML).
        return try withExtendedLifetime(document) {
            guard let node = document.root else {
                throw ExperimentError(position: SourcePosition(file: file, line: 1, column: 1), key: "", message: "the file is empty")
            }
            var converter = YAMLTreeConverter(file: file)
            return try converter.convert(node)
        }
    }

    private static func position(of error: YamlError, file: String) -> SourcePosition {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourcePosition(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourcePosition(file: file, line: context.mark.line, column: context.mark.column)
        case .reader(_, let offset?, _, let yaml):
            // The offset counts UTF-8 bytes; the line is one more than the newlines before it.
            let bytes = Array(yaml.utf8.prefix(offset))
            let line = bytes.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = bytes.count - (bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            return SourcePosition(file: file, line: line, column: column)
        default:
            return SourcePosition(file: file, line: 1, column: 1)
        }
    }

    private static func brief(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate key \(duplicates.joined(separator: ", "))"
        case .reader(let problem, _, _, _): problem
        default: "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }

    /// The node with `value` set at a dotted path (mappings are created as needed).
    public func setting(_ path: [String], to value: ConfigNode) -> ConfigNode {
        guard let first = path.first else { return value }
        var entries: [(key: String, keyPosition: SourcePosition, value: ConfigNode)] = []
        var at = value.position
        if case .mapping(let existing, let p) = self { entries = existing; at = p }
        if let index = entries.firstIndex(where: { $0.key == first }) {
            entries[index].value = entries[index].value.setting(Array(path.dropFirst()), to: value)
        } else {
            let empty = ConfigNode.mapping([], value.position)
            entries.append((first, value.position, empty.setting(Array(path.dropFirst()), to: value)))
        }
        return .mapping(entries, at)
    }

    /// The node at a dotted path, if any.
    public func child(_ path: [String]) -> ConfigNode? {
        guard let first = path.first else { return self }
        guard case .mapping(let entries, _) = self, let entry = entries.first(where: { $0.key == first }) else { return nil }
        return entry.value.child(Array(path.dropFirst()))
    }

    /// A short text of the value, for arm labels.
    public var text: String {
        switch self {
        case .scalar(let s, _): s
        case .sequence(let items, _): "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .mapping(let entries, _): "{" + entries.map { "\($0.key): \($0.value.text)" }.joined(separator: ", ") + "}"
        }
    }
}
