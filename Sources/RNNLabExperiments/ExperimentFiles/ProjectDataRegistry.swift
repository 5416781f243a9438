import Foundation
import RNNLabData

/// The project's own data sets, by name: `rnnlab-data.yaml` at the project root, written by `rnnlab data add`
/// and read wherever a data set name is accepted (`task.data: NAME`). Each entry is the mapping an experiment
/// file could write as `task.data` (paths relative to the registry file), plus `format` and `sha256`:
///
/// ```yaml
/// corpus:
///   path: data/corpus.txt
///   format: text
///   sha256: 3f0a…
///   lowercase: true
/// ```
public struct ProjectDataRegistry {
    /// The registry's file name, at the project root (the working directory).
    public static let fileName = "rnnlab-data.yaml"

    /// One registered data set: its name and the entry's settings as written, in order.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var settings: [(key: String, value: String)]
        public var format: String { settings.first { $0.key == "format" }?.value ?? "" }
        public var path: String { settings.first { $0.key == "path" }?.value ?? "" }
        public var sha256: String { settings.first { $0.key == "sha256" }?.value ?? "" }

        public init(name: String, settings: [(key: String, value: String)]) {
            self.name = name
            self.settings = settings
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.name == b.name && a.settings.map(\.key) == b.settings.map(\.key) && a.settings.map(\.value) == b.settings.map(\.value)
        }
    }

    /// The file it was read from (or will be written to).
    public var file: URL
    public private(set) var entries: [Entry] = []
    private var nodes: [String: (node: ConfigNode, format: ConfigNode?)] = [:]

    /// The registry of the project at `directory` (empty when it has no registry file).
    public static func load(in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws -> ProjectDataRegistry {
        let file = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return ProjectDataRegistry(file: file) }
        return try parse(text, file: file)
    }

    /// A registry's text (`file` says where its paths are relative to and names it in errors).
    static func parse(_ text: String, file: URL) throws -> ProjectDataRegistry {
        var registry = ProjectDataRegistry(file: file)
        guard !text.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") || $0.trimmingCharacters(in: .whitespaces).isEmpty })
        else { return registry }
        let root = try ConfigNode.parse(text, file: registry.file.path)
        guard case .mapping(let items, _) = root else {
            throw ExperimentError(position: root.position, key: "", message: "expected a mapping of data set names to their entries")
        }
        for item in items {
            guard case .mapping(let fields, _) = item.value else {
                throw ExperimentError(position: item.value.position, key: item.key, message: "expected a mapping with path, format and sha256")
            }
            guard let format = fields.first(where: { $0.key == "format" })?.value else {
                throw ExperimentError(position: item.value.position, key: "\(item.key).format", message: "missing (one of \(DataFileFormat.names.joined(separator: ", ")))")
            }
            let body = ConfigNode.mapping(fields.filter { $0.key != "format" }, item.value.position)
            registry.nodes[item.key] = (body, format)
            registry.entries.append(Entry(name: item.key, settings: fields.map { ($0.key, $0.value.text) }))
        }
        return registry
    }

    init(file: URL) { self.file = file }

    /// Whether `name` is registered here.
    public func contains(_ name: String) -> Bool { nodes[name] != nil }

    /// The data set `name` as a task of `kind` reads it: its file found, checked against the registered
    /// checksum and read (`DataFileSection`).
    func reference(named name: String, kind: String) throws -> DataFileReference? {
        guard let (node, format) = nodes[name] else { return nil }
        return try DataFileSection().read(node, kind: kind, key: name, base: file.deletingLastPathComponent(), name: name, format: format)
    }

    /// Reads every entry (for `rnnlab data list` and `rnnlab eval`/`sample` of runs on registered files): each
    /// file found is remembered by checksum. Returns each entry's state: "ok", or why not.
    @discardableResult
    public func check() -> [(entry: Entry, state: String)] {
        entries.map { entry in
            let kind = DataFileSection.formats.first { $0.value == entry.format }?.key ?? "language_model"
            do {
                _ = try reference(named: entry.name, kind: kind)
                return (entry, "ok")
            } catch {
                return (entry, "\(error)")
            }
        }
    }

    /// Adds (or replaces) an entry, after reading its file as a task will (a bad file is an error naming its
    /// line and column or key), and writes the registry atomically (a temporary file, then a rename).
    public mutating func set(_ entry: Entry) throws {
        var updated = self
        updated.entries.removeAll { $0.name == entry.name }
        updated.entries.append(entry)
        updated.entries.sort { $0.name < $1.name }
        let text = updated.rendered
        let kind = DataFileSection.formats.first { $0.value == entry.format }?.key ?? "language_model"
        do {
            _ = try Self.parse(text, file: file).reference(named: entry.name, kind: kind)
        } catch let error as ExperimentError where error.key.hasPrefix(entry.name) {
            throw RegistryEntryError(message: error.key == entry.name ? error.message : "\(error.key): \(error.message)")
        }
        try Data(text.utf8).write(to: file, options: .atomic)
        self = try Self.parse(text, file: file)
    }

    /// The registry as YAML: one mapping per data set, values quoted.
    var rendered: String {
        var text = "# The data sets of this project (rnnlab data add; docs/data.md). Experiment files name them as task.data: NAME.\n"
            + "# Paths are relative to this file; sha256 is checked before anything runs.\n"
        for entry in entries {
            text += "\(entry.name):\n"
            for (key, value) in entry.settings { text += "  \(key): \(Self.quoted(value))\n" }
        }
        return text
    }

    /// A YAML scalar: plain where that reads back the same, else double-quoted with escapes; lists stay as written.
    static func quoted(_ value: String) -> String {
        if value.hasPrefix("[") && value.hasSuffix("]") { return value }
        if value.range(of: "^[A-Za-z0-9_./-]+$", options: .regularExpression) != nil {
            return value
        }
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}

/// A data set that cannot be registered: its file is missing, unreadable or not of its format.
public struct RegistryEntryError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
