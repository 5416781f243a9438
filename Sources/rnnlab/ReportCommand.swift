import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments

/// `rnnlab report`: regenerate reports from the stored runs.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Regenerate REPORT.md, summary.csv and plots from the run files.")
    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Flag(help: "Write nothing: check that the reports in the results directory are exactly what the run files give.")
    var check = false

    func run() throws {
        if check { return try checkReports() }
        for experiment in try options.load() {
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store, data: data.directory)
            report.warnAboutUntrustedFiles()
            let folder = options.store.results.appendingPathComponent(experiment.name)
            try FileWriteError.clarifying(path: folder.path) { try report.write(to: folder) }
            print(report.markdownTable)
        }
        try ResultsIndex.write(results: options.store, profile: options.profile, data: data.directory)
    }

    /// Regenerates every report into a scratch directory and compares it, file by file, with the stored one.
    private func checkReports() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-report-check-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var differing: [String] = []
        func compare(_ generated: URL, _ stored: URL) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: generated.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: generated.appendingPathComponent(name).path, isDirectory: &isDirectory),
                      !isDirectory.boolValue else { continue }
                if FileManager.default.contents(atPath: generated.appendingPathComponent(name).path)
                    != FileManager.default.contents(atPath: stored.appendingPathComponent(name).path) {
                    differing.append(stored.appendingPathComponent(name).path)
                }
            }
        }
        for experiment in try options.load() {
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store, data: data.directory)
            try report.write(to: scratch.appendingPathComponent(experiment.name))
            compare(scratch.appendingPathComponent(experiment.name), options.store.results.appendingPathComponent(experiment.name))
        }
        if options.all {
            try ResultsIndex.write(results: RunStore(results: scratch), reading: options.store, profile: options.profile, data: data.directory)
            compare(scratch, options.store.results)
        }
        guard differing.isEmpty else {
            differing.forEach { print("differs from what the run files give: \($0)") }
            throw ExitCode(1)
        }
        print("every checked report is what the run files give")
    }
}
