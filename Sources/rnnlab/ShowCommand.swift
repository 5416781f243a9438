import ArgumentParser
import Foundation
import RNNLabRunStore
import RNNLabTraining

/// `rnnlab show`: one run file.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a run file: status, configuration, metrics, provenance.")
    @Argument(help: "The run file.") var runFile: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let file = try RunFile.read(from: runFile)
        let final = (try? RunFile.finalMetrics(from: runFile)) ?? [:]
        if json {
            print("{\"run_id\": \"\(file.runID)\", \"experiment\": \"\(file.experiment)\", \"status\": \"\(file.status)\", "
                  + "\"epochs\": \(file.epochs.count), \"steps\": \(file.steps.count), \"final\": \(metricsJSON(final)), "
                  + "\"config\": \(try file.configuration.canonicalJSON())}")
            return
        }
        print("run \(file.runID) of \(file.experiment): \(file.status)\(file.statusDetail.isEmpty ? "" : " (\(file.statusDetail))")")
        print("created \(file.created), updated \(file.updated); \(file.epochs.count) epochs, \(file.steps.count) steps")
        print("config: \(try file.configuration.canonicalJSON())")
        for epoch in file.epochs {
            let valid = epoch.validationMetrics.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
            print("  epoch \(epoch.epoch): train loss \(String(format: "%.4f", epoch.trainingLoss)); valid \(valid.joined(separator: ", "))")
        }
        print("final (test at the best epoch): \(metricsJSON(final))")
        if let p = file.provenance { print("provenance: git \(p.gitCommit)\(p.gitDirty ? " (dirty)" : ""), \(p.blas), HDF5 \(p.hdf5)") }
    }
}
