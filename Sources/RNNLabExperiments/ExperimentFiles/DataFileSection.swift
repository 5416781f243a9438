import Foundation
import RNNLabData
import RNNLabTasks

/// Reads `task.data` when it is a user's data file (`data: {path: corpus.txt, ...}`) or the name of an entry of
/// the project's data registry (`rnnlab-data.yaml`), into a `DataFileReference`. The file is found (a relative
/// path from the experiment file's folder), hashed, checked against a declared `sha256:`, and read the way its
/// task will read it, so that a bad file is one error naming the file, its line and column or key, before any
/// run starts. Registered data sets are not read here (their checksums are checked when runs start).
struct DataFileSection {
    let reader = ConfigReader()

    /// The options each task kind's data files take (besides `path`, `sha256` and `name`).
    static let options: [String: [String]] = [
        "language_model": ["encoding", "lowercase", "keep", "splits"],
        "music": [],
        "sentiment": ["classes", "text_column", "label_column", "splits"],
        "forecasting": ["value_column", "date_column"],
    ]
    /// The file format each task kind reads.
    static let formats = ["language_model": "text", "music": "piano_roll", "sentiment": "tsv", "forecasting": "csv"]
    static let defaultTextColumn = "sentence", defaultLabelColumn = "label"

    /// A `task.data` mapping of an experiment file (paths relative to the file's folder).
    func read(_ node: ConfigNode, kind: String) throws -> DataFileReference {
        let base = Self.baseDirectory(of: node.position.file)
        return try read(node, kind: kind, key: "task.data", base: base, name: nil, format: nil)
    }

    /// A data set entry: `node` is its mapping, `key` its dotted key for errors, `base` the folder its paths are
    /// relative to, `name` its registered name (else the file's base name), `format` its declared format, if any.
    func read(_ node: ConfigNode, kind: String, key: String, base: URL, name: String?, format: ConfigNode?) throws -> DataFileReference {
        let extra = format == nil ? [] : ["format"]
        let f = try reader.mapping(node, key, known: ["path", "sha256", "name"] + (Self.options[kind] ?? []) + extra)
        if let format {
            let expected = Self.formats[kind] ?? ""
            let declared = try reader.choice(format, "\(key).format", DataFileFormat.names)
            guard declared == expected else {
                throw ExperimentError(position: format.position, key: "\(key).format",
                                      message: "\(declared) data cannot be used by a \(kind) task, which reads \(expected) files")
            }
        }
        var urls: [URL] = []
        let dataFormat: DataFileFormat
        var displayName = try f["name"].map { try reader.scalar($0, "\(key).name") } ?? name
        switch kind {
        case "sentiment" where f["classes"] != nil:
            guard f["path"] == nil, let classesNode = f["classes"], case .mapping(let entries, _) = classesNode, entries.count >= 2 else {
                throw ExperimentError(position: node.position, key: "\(key).classes",
                                      message: "expected a mapping of two or more labels to files (and no path)")
            }
            var classes: [ClassFile] = []
            for entry in entries {
                let url = try file(entry.value, key: "\(key).classes.\(entry.key)", base: base)
                urls.append(url)
                classes.append(ClassFile(label: entry.key, sha256: try checksum(url, at: entry.value, key: "\(key).classes.\(entry.key)")))
            }
            dataFormat = .classFiles(classes: classes, splits: try splits(f, key: key))
            displayName = displayName ?? classes.map(\.label).joined(separator: "-")
        default:
            guard let pathNode = f["path"] else {
                throw ExperimentError(position: node.position, key: "\(key).path", message: "missing: the data file (relative to \(base.path))")
            }
            dataFormat = try fileFormat(kind, f, key: key)
            // A file that is not here but whose checksum the entry declares is known by that checksum: reports,
            // status and list work without it (e.g. on a clone without the data); runs check it is found first.
            if let declared = f["sha256"], !exists(try reader.scalar(pathNode, "\(key).path"), base: base) {
                let path = try reader.scalar(pathNode, "\(key).path")
                return DataFileReference(name: displayName ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                                         sha256: try Self.checksum(declared, key: "\(key).sha256"), format: dataFormat)
            }
            let url = try file(pathNode, key: "\(key).path", base: base)
            urls = [url]
            displayName = displayName ?? url.deletingPathExtension().lastPathComponent
        }
        let sha = urls.count == 1 ? try checksum(urls[0], at: f["path"] ?? node, key: "\(key).path")
                                  : DataFileReference.checksum(ofClasses: dataFormat.classFiles)
        if let declared = f["sha256"] {
            let expected = try Self.checksum(declared, key: "\(key).sha256")
            guard expected == sha else {
                throw ExperimentError(position: declared.position, key: "\(key).sha256",
                                      message: "\(urls.map(\.path).joined(separator: ", ")) has sha256 \(sha), not \(expected): the file has changed")
            }
        }
        let reference = DataFileReference(name: displayName ?? "data", sha256: sha, format: dataFormat)
        do {
            try UserDataValidation.shared.validate(reference, urls: urls)
        } catch let error as DataError {
            throw ExperimentError(position: node.position, key: key, message: "\(error)")
        } catch {
            throw ExperimentError(position: node.position, key: key, message: "\(urls.map(\.path).joined(separator: ", ")): \(error)")
        }
        for (url, checksum) in zip(urls, reference.fileChecksums) { UserDataLocations.shared.add(url, sha256: checksum) }
        return reference
    }

    /// The folder paths in an experiment file are relative to: the file's own, else the working directory
    /// (settings from the command line).
    static func baseDirectory(of file: String) -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else { return cwd }
        return URL(fileURLWithPath: file, relativeTo: cwd).deletingLastPathComponent().standardizedFileURL
    }

    /// A declared `sha256`: 64 hexadecimal digits, lower-cased.
    private static func checksum(_ node: ConfigNode, key: String) throws -> String {
        let text = try ConfigReader().scalar(node, key).lowercased()
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else {
            throw ExperimentError(position: node.position, key: key, message: "expected 64 hexadecimal digits (sha256sum FILE)")
        }
        return text
    }

    private func exists(_ path: String, base: URL) -> Bool {
        FileManager.default.fileExists(atPath: path.hasPrefix("/") ? path : base.appendingPathComponent(path).path)
    }

    private func file(_ node: ConfigNode, key: String, base: URL) throws -> URL {
        let path = try reader.scalar(node, key)
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ExperimentError(position: node.position, key: key, message: "no such file: \(url.path)")
        }
        return url
    }

    private func checksum(_ url: URL, at node: ConfigNode, key: String) throws -> String {
        do { return try DataDirectory.checksum(of: url) } catch {
            throw ExperimentError(position: node.position, key: key, message: "\(error)")
        }
    }

    private func fileFormat(_ kind: String, _ f: [String: ConfigNode], key: String) throws -> DataFileFormat {
        func string(_ name: String) throws -> String? { try f[name].map { try reader.scalar($0, "\(key).\(name)") } }
        switch kind {
        case "language_model":
            let encoding = try f["encoding"].flatMap { TextFileEncoding(rawValue: try reader.choice($0, "\(key).encoding", TextFileEncoding.allCases.map(\.rawValue))) }
            let keep = try string("keep")
            if let keep, let node = f["keep"], keep.isEmpty {
                throw ExperimentError(position: node.position, key: "\(key).keep", message: "expected the characters to keep (all others are removed)")
            }
            return .text(TextFileOptions(encoding: encoding ?? .utf8,
                                         lowercase: try f["lowercase"].map { try reader.bool($0, "\(key).lowercase") } ?? false,
                                         keep: keep, splits: try splits(f, key: key)))
        case "music": return .pianoRoll
        case "sentiment":
            return .labelledTSV(textColumn: try string("text_column") ?? Self.defaultTextColumn,
                                labelColumn: try string("label_column") ?? Self.defaultLabelColumn, splits: try splits(f, key: key))
        default:
            guard let value = try string("value_column") else {
                throw ExperimentError(position: f["path"]?.position ?? SourcePosition(file: "", line: 1, column: 1), key: "\(key).value_column",
                                      message: "missing: the CSV column of the series' values")
            }
            return .csvSeries(valueColumn: value, dateColumn: try string("date_column"))
        }
    }

    /// `splits: [training, validation, test]`, fractions that add up to 1 (default 0.9, 0.05, 0.05).
    private func splits(_ f: [String: ConfigNode], key: String) throws -> SplitFractions {
        guard let node = f["splits"] else { return .standard }
        guard case .sequence(let items, _) = node, items.count == 3 else {
            throw ExperimentError(position: node.position, key: "\(key).splits", message: "expected three fractions: [training, validation, test]")
        }
        let values = try items.map { try reader.double($0, "\(key).splits", in: 0...1) }
        guard values.allSatisfy({ $0 > 0 }), abs(values.reduce(0, +) - 1) < 1e-6 else {
            throw ExperimentError(position: node.position, key: "\(key).splits", message: "the three fractions must be positive and add up to 1")
        }
        return SplitFractions(training: values[0], validation: values[1], test: values[2])
    }
}

extension DataFileFormat {
    /// The class files of `classFiles`, else none.
    var classFiles: [ClassFile] {
        if case .classFiles(let classes, _) = self { return classes }
        return []
    }
}

/// The user files this process has read and found valid, with their sizes, by reference: a file that several
/// sections of an experiment name is read once.
final class UserDataValidation: @unchecked Sendable {
    static let shared = UserDataValidation()
    private let lock = NSLock()
    private var summaries: [DataFileReference: UserDataSummary] = [:]

    func validate(_ reference: DataFileReference, urls: [URL]) throws {
        if summary(of: reference) != nil { return }
        let summary = try TaskCatalog.validateUserData(reference, urls: urls)
        lock.lock()
        summaries[reference] = summary
        lock.unlock()
    }

    func summary(of reference: DataFileReference) -> UserDataSummary? {
        lock.lock()
        defer { lock.unlock() }
        return summaries[reference]
    }
}
