import ArgumentParser
import Foundation
import RNNLabExperiments

/// `rnnlab validate`: check experiment files without running anything.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check experiment files (keys, types, ranges, every planned run and profile) without running anything.",
        discussion: "Prints one line per file: 'ok FILE (N runs)', or the problem as FILE:LINE:COLUMN: KEY: MESSAGE. Exits 1 when a file is invalid.")

    @Argument(help: "Experiment files.") var files: [String]
    @Flag(help: "Append each file's validation time in milliseconds.") var times = false
    @Flag(help: "Tab-separated lines instead: FILE, LINE, COLUMN, KEY, MESSAGE (LINE is 'ok' for a valid file).") var tsv = false

    func run() throws {
        var invalid = 0
        for path in files {
            let start = DispatchTime.now().uptimeNanoseconds
            var line: String
            do {
                let experiment = try Experiment.load(path: path)
                let runs = try experiment.plan(profile: nil)
                let count = runs.count
                line = tsv ? [path, "ok", "", "", "\(count) runs"].joined(separator: "\t") : "ok \(path) (\(count) runs)"
                if !tsv { line += ReceptiveFields.lines(of: runs).map { "\n  \($0)" }.joined() }
            } catch let error as ExperimentError {
                invalid += 1
                line = tsv ? [path, "\(error.position.line)", "\(error.position.column)", error.key, error.message].joined(separator: "\t")
                           : "\(error)"
            } catch {
                invalid += 1
                line = tsv ? [path, "", "", "", "\(error)"].joined(separator: "\t") : "\(path): \(error)"
            }
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if times { line += tsv ? "\t" + String(format: "%.1f", milliseconds) : String(format: " [%.1f ms]", milliseconds) }
            print(line)
            fflush(nil)
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}
