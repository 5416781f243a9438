import ArgumentParser
import Foundation
import RNNLabData
import RNNLabExperiments

extension DataCommand {
    /// `rnnlab data add`: a data file of the project's own, registered by name in `rnnlab-data.yaml`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a data file of your own by name (in rnnlab-data.yaml at the project root), for task.data: NAME.",
            discussion: """
                Formats: text (language_model), piano_roll (music), tsv (sentiment), csv (forecasting). The file is hashed \
                and read as its task will read it; a bad file is an error naming its line and column or key, and nothing \
                is written. Experiment files then name it as task.data: NAME; its sha256 is checked before anything runs.
                Example: rnnlab data add reviews data/reviews.tsv --format tsv --text-column review --label-column stars
                """)
        @Argument(help: "The name (letters, digits, '_', '-', '.').") var name: String
        @Argument(help: "The file (relative to the project root).") var path: String
        @Option(help: "text, piano_roll, tsv or csv.") var format: String
        @Option(help: "Text encoding (text): utf-8, latin-1, windows-1252, utf-16.") var encoding: String?
        @Flag(help: "Lower-case the text (text).") var lowercase = false
        @Option(help: "The characters to keep; all others are removed (text).") var keep: String?
        @Option(help: "Split fractions training,validation,test (text, tsv; default 0.9,0.05,0.05).") var splits: String?
        @Option(help: "The text column (tsv; default sentence).") var textColumn: String?
        @Option(help: "The label column (tsv; default label).") var labelColumn: String?
        @Option(help: "The value column (csv).") var valueColumn: String?
        @Option(help: "The date column (csv).") var dateColumn: String?
        @Flag(help: "Show progress with an ETA while hashing the file.") var progress = false

        func validate() throws {
            guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
                throw ValidationError("'\(name)' is not a data set name: letters, digits, '_', '-' or '.'")
            }
            guard (try? DataRegistry.descriptor(named: name)) == nil, !["noisy_sine", "mackey_glass"].contains(name) else {
                throw ValidationError("'\(name)' is a built-in data set: choose another name")
            }
            guard DataFileFormat.names.contains(format) else {
                throw ValidationError("--format must be one of \(DataFileFormat.names.joined(separator: ", ")), not '\(format)'")
            }
        }

        func run() throws {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("\(path): no such file") }
            let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.doubleValue ?? 0
            let display = ProgressDisplay(enabled: progress, unit: "MB")
            let sha = try DataDirectory.checksum(of: url) { display.update(done: Double($0) / 1e6, of: size / 1e6, detail: "hashing \(path)") }
            display.finish()
            var settings: [(key: String, value: String)] = [("path", path), ("format", format), ("sha256", sha)]
            func add(_ key: String, _ value: String?) { if let value { settings.append((key, value)) } }
            add("encoding", encoding)
            add("lowercase", lowercase ? "true" : nil)
            add("keep", keep)
            add("splits", splits.map { "[" + $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ") + "]" })
            add("text_column", textColumn)
            add("label_column", labelColumn)
            add("value_column", valueColumn)
            add("date_column", dateColumn)
            var registry = try ProjectDataRegistry.load()
            try registry.set(ProjectDataRegistry.Entry(name: name, settings: settings))
            print("added \(name): \(path) (\(format), sha256 \(sha)) to \(registry.file.path)")
        }
    }
}
