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

    func run() throws {
        var invalid = 0
        for path in files {
            let start = DispatchTime.now().uptimeNanoseconds
            var line: String
            do {
                let experiment = try Experiment.load(path: path)
                line = "ok \(path) (\(try experiment.plan(profile: nil).count) runs)"
            } catch {
                invalid += 1
                line = error is ExperimentError ? "\(error)" : "\(path): \(error)"
            }
            if times { line += String(format: " [%.1f ms]", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
            print(line)
            fflush(nil)
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}
