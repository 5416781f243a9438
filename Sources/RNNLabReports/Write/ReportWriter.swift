import Foundation
import RNNLabRunStore

/// Puts rendered report files where they belong, or (for `rnnlab report --check`) compares them with what is there.
public enum ReportWriter {
    /// Writes each file into `directory` (created if needed), each atomically.
    public static func write(_ files: [ReportFile], to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in files {
            try file.text.write(to: directory.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
    }

    /// The paths of the files in `directory` whose bytes differ from the given texts (or that are missing),
    /// in order of name. Writes nothing.
    public static func differences(_ files: [ReportFile], in directory: URL) -> [String] {
        files.sorted { $0.name < $1.name }.compactMap { file in
            let stored = directory.appendingPathComponent(file.name).path
            return FileManager.default.contents(atPath: stored) == Data(file.text.utf8) ? nil : stored
        }
    }
}

extension ExperimentReport {
    /// Writes REPORT.md, summary.csv and the plots into `directory` (each file atomically).
    public func write(to directory: URL) throws {
        try ReportWriter.write(files, to: directory)
    }
}

extension ResultsIndex {
    /// Writes `README.md` into the results directory of `results`, from its runs.
    public static func write(results: RunStore, profile: String?) throws {
        try ReportWriter.write([try file(profile: profile, store: results)], to: results.results)
    }
}
