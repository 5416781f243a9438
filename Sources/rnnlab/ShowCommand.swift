import ArgumentParser
import Foundation
import RNNLabRunStore
import RNNLabTraining

/// `rnnlab show`: one run, from its record or its run file.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a run: status, configuration, metrics, provenance.",
        discussion: """
            Give a run record (results/NAME/runs/RUN_ID.json) or a run file (RUN_ID.h5). A run file that is \
            not there is shown from the record beside it, so committed results can be shown on a fresh clone.
            """)
    @Argument(help: "The run record or run file.") var path: String
    @Flag(help: "Print JSON.") var json = false

    /// What `show` prints, from a record or a run file.
    private struct Shown {
        var runID, experiment, status, statusDetail, created, updated: String
        var steps: Int
        var epochs: [(epoch: Int, trainingLoss: Double, validation: [String: Double])]
        var final: [String: Double]
        var configuration: RunConfiguration
        var provenance: Provenance?
    }

    func run() throws {
        let recordPath = path.hasSuffix(".h5") ? String(path.dropLast(3)) + ".json" : path
        let shown: Shown
        if path.hasSuffix(".json") || (!FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: recordPath)) {
            let record = try RunRecord.read(from: recordPath)
            shown = Shown(runID: record.runID, experiment: record.experiment, status: record.status.rawValue, statusDetail: record.statusDetail,
                          created: record.created, updated: record.updated, steps: record.steps.count,
                          epochs: record.epochs.map { ($0.epoch, $0.trainingLoss, $0.validationMetrics) }, final: record.finalMetrics,
                          configuration: record.configuration, provenance: record.provenance)
        } else {
            let file = try RunFile.read(from: path)
            shown = Shown(runID: file.runID, experiment: file.experiment, status: file.status.rawValue, statusDetail: file.statusDetail,
                          created: file.created, updated: file.updated, steps: file.steps.count,
                          epochs: file.epochs.map { ($0.epoch, $0.trainingLoss, $0.validationMetrics) },
                          final: (try? RunFile.finalMetrics(from: path)) ?? [:], configuration: file.configuration, provenance: file.provenance)
        }
        if json {
            print("{\"run_id\": \"\(shown.runID)\", \"experiment\": \"\(shown.experiment)\", \"status\": \"\(shown.status)\", "
                  + "\"epochs\": \(shown.epochs.count), \"steps\": \(shown.steps), \"final\": \(metricsJSON(shown.final)), "
                  + "\"config\": \(try shown.configuration.canonicalJSON())}")
            return
        }
        print("run \(shown.runID) of \(shown.experiment): \(shown.status)\(shown.statusDetail.isEmpty ? "" : " (\(shown.statusDetail))")")
        print("created \(shown.created), updated \(shown.updated); \(shown.epochs.count) epochs, \(shown.steps) steps")
        print("config: \(try shown.configuration.canonicalJSON())")
        for epoch in shown.epochs {
            let valid = epoch.validation.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
            print("  epoch \(epoch.epoch): train loss \(String(format: "%.4f", epoch.trainingLoss)); valid \(valid.joined(separator: ", "))")
        }
        print("final (test at the best epoch): \(metricsJSON(shown.final))")
        if let p = shown.provenance { print("provenance: git \(p.gitCommit)\(p.gitDirty ? " (dirty)" : ""), \(p.blas), HDF5 \(p.hdf5)") }
    }
}
