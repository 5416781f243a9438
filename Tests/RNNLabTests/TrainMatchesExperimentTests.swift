import Foundation
import RNNLabExperiments
import RNNLabRunStore
import XCTest

/// `rnnlab train` reads its flags with the experiment files' reader: the same
/// settings give the same configuration and so the same run id.
final class TrainMatchesExperimentTests: XCTestCase {
    func testTrainWithAnArmsSettingsGivesThatArmsRunID() throws {
        let rnnlab = try CLI(for: self)
        let experiment = try Experiment.parse("""
            name: train-equivalence
            task: {kind: adding, length: 5}
            model: {cell: lstm, hidden_size: 3}
            training:
              epochs: 1
              batch_size: 200
              optimizer: adam
            compare:
              model.cell: [gru, lstm]
              training.clipping: [none, {kind: global_norm, threshold: 1}]
            seeds: [4]
            report: {metric: mse}
            """, file: "x.yaml")
        let runs = try experiment.plan()
        let clipped = try XCTUnwrap(runs.first { $0.arm == "model.cell=gru, training.clipping={kind: global_norm, threshold: 1}" })
        let plain = try XCTUnwrap(runs.first { $0.arm == "model.cell=lstm, training.clipping=none" })
        for (run, flags) in [(clipped, ["--cell", "gru", "--clip", "1"]), (plain, [])] {
            let result = try rnnlab(["train", "--task", "adding", "--length", "5", "--hidden", "3", "--epochs", "1", "--batch-size", "200",
                                     "--seed", "4"] + flags)
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains("complete: results/adhoc/runs/\(run.runID).h5"), "\(run.arm): \(result.output)")
            let file = try RunFile.read(from: rnnlab.workDirectory.appendingPathComponent("results/adhoc/runs/\(run.runID).h5").path)
            XCTAssertEqual(file.configuration, run.configuration)
        }
        // The experiment files' defaults: no clipping, the optimizer's own learning rate (SGD has none).
        let sgd = try rnnlab(["train", "--task", "adding", "--optimizer", "sgd", "--epochs", "1"])
        XCTAssertNotEqual(sgd.status, 0)
        XCTAssertTrue(sgd.output.contains("--learning-rate: missing (SGD has no default)"), sgd.output)
    }
}
