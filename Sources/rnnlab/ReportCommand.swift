import ArgumentParser
import Foundation
import RNNLabExperiments
import RNNLabReports
import RNNLabRunStore

/// `rnnlab report`: regenerate reports from the stored runs.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Regenerate REPORT.md, summary.csv and plots from the run records (no run file or data needed).")
    @OptionGroup var options: ExperimentOptions
    @Flag(help: "Write nothing: check that the reports in the results directory are exactly what the run records give.")
    var check = false

    func run() throws {
        if check { return try checkReports() }
        for experiment in try options.load() {
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store)
            report.warnAboutUntrustedFiles()
            let folder = options.store.results.appendingPathComponent(experiment.name)
            try FileWriteError.clarifying(path: folder.path) { try report.write(to: folder) }
            print(report.markdownTable)
        }
        try ResultsIndex.write(results: options.store, profile: options.profile)
    }

    /// Regenerates every report in memory and compares it, file by file, with the stored one.
    private func checkReports() throws {
        var differing: [String] = []
        for experiment in try options.load() {
            let folder = options.store.results.appendingPathComponent(experiment.name)
            guard FileManager.default.fileExists(atPath: folder.path) else {
                // A new experiment nobody has reported yet: nothing to compare (and the index leaves it out).
                print("not reported yet (no \(folder.path)): \(experiment.name)")
                continue
            }
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store)
            report.warnAboutUntrustedFiles()
            differing += ReportWriter.differences(report.files, in: options.store.results.appendingPathComponent(experiment.name))
        }
        if options.all {
            let index = try ResultsIndex.file(profile: options.profile, store: options.store)
            differing += ReportWriter.differences([index], in: options.store.results)
        }
        guard differing.isEmpty else {
            differing.forEach { print("differs from what the run records give: \($0)") }
            throw ExitCode(1)
        }
        print("every checked report is what the run records give")
    }
}
