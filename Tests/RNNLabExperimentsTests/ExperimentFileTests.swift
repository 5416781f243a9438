import Foundation
import RNNLabExperiments
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

final class ExperimentFileTests: XCTestCase {
    var valid: String { Self.validText }
    /// A valid experiment file, which the tests vary (`Fixtures/example-experiment.yaml`, shared with the report tests).
    static let validText = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/example-experiment.yaml"), encoding: .utf8)).map { String($0.dropLast()) } ?? ""   // without the final newline: tests append lines

    func testGridExcludeIncludeSeedsAndProfiles() throws {
        let experiment = try Experiment.parse(valid, file: "experiments/adding-cells.yaml")
        let runs = try experiment.plan()
        // 3 × 2 arms − 1 excluded + 1 included = 6 arms, × 3 seeds.
        XCTAssertEqual(runs.count, 18)
        XCTAssertEqual(Set(runs.map(\.arm)).count, 6)
        XCTAssertFalse(runs.contains { $0.arm == "model.cell=rnn_tanh, training.clipping.threshold=5" })
        let irnn = try XCTUnwrap(runs.first { $0.arm.contains("rnn_relu") })
        XCTAssertEqual(irnn.configuration.training.initialization.recurrent, .identity(scale: 1))
        XCTAssertEqual(runs.filter { $0.arm.hasPrefix("model.cell=gru") }.map(\.configuration.training.clipping),
                       [.globalNorm(1), .globalNorm(1), .globalNorm(1), .globalNorm(5), .globalNorm(5), .globalNorm(5)])
        XCTAssertEqual(Set(runs.map(\.runID)).count, 18, "every run has its own id")
        XCTAssertEqual(Set(runs.map(\.seed)), [1, 2, 3])
        let smoke = try experiment.plan(profile: "smoke")
        XCTAssertEqual(smoke.count, 18)
        XCTAssertTrue(smoke.allSatisfy { $0.configuration.training.epochs == 1 && $0.configuration.task == .adding(length: 5, trainingExamples: 500, evaluationExamples: 100) })
        XCTAssertEqual(experiment.report.metric, "mse")
        XCTAssertEqual(experiment.report.plots, ["curves", "grad_norm"])
        let budgeted = try Experiment.parse(valid.replacingOccurrences(of: "seeds: 3", with: "seeds: 3\nbudget: {epochs: 7, wall_clock_minutes: 0.5}"),
                                            file: "x.yaml").plan()
        XCTAssertTrue(budgeted.allSatisfy { $0.configuration.training.epochs == 7 && $0.configuration.training.wallClockSeconds == 30 })
        // Without compare axes, include lists the arms.
        let includeOnly = valid.replacingOccurrences(of: "compare:\n  model.cell: [rnn_tanh, lstm, gru]\n  training.clipping.threshold: [1, 5]\nexclude:\n  - {model.cell: rnn_tanh, training.clipping.threshold: 5}\n", with: "")
        XCTAssertNotEqual(includeOnly, valid)
        XCTAssertEqual(Set(try Experiment.parse(includeOnly, file: "x.yaml").plan().map(\.arm)),
                       ["model.cell=rnn_relu, training.init.recurrent={kind: identity, scale: 1}"])
        // Stable: the same file plans the same run ids.
        XCTAssertEqual(try Experiment.parse(valid, file: "x.yaml").plan().map(\.runID), runs.map(\.runID))
    }

    /// `training.loss_reduction` is read; an explicit `mean` is the default and keeps its run ids.
    func testLossReductionIsReadAndTheDefaultKeepsRunIDs() throws {
        func runs(_ line: String) throws -> [PlannedRun] {
            try Experiment.parse(valid.replacingOccurrences(of: "  batch_size: 20", with: "  batch_size: 20" + line),
                                 file: "x.yaml").plan()
        }
        let plain = try runs(""), mean = try runs("\n  loss_reduction: mean"), summed = try runs("\n  loss_reduction: sum_over_steps")
        XCTAssertEqual(mean.map(\.runID), plain.map(\.runID), "an explicit mean is the default")
        XCTAssertTrue(summed.allSatisfy { $0.configuration.training.lossReduction == .sumOverSteps })
        XCTAssertTrue(Set(summed.map(\.runID)).isDisjoint(with: plain.map(\.runID)), "a different reduction is a different run")
    }

    /// Every cell is a `model.cell`; IndRNN's `model.recurrent_max` reaches the network's configuration, is
    /// rejected for other cells, and leaves the run ids of configurations without it unchanged.
    func testNewCellsAndRecurrentMax() throws {
        func runs(_ include: String) throws -> [PlannedRun] {
            try Experiment.parse(valid.replacingOccurrences(of: "  - {model.cell: rnn_relu, training.init.recurrent: {kind: identity, scale: 1}}",
                                                            with: include), file: "x.yaml").plan()
        }
        let plain = try runs("  - {model.cell: rnn_relu, training.init.recurrent: {kind: identity, scale: 1}}")
        for cell in CellKind.allCases {
            let planned = try runs("  - {model.cell: \(cell.rawValue)}")
            XCTAssertTrue(planned.contains { $0.configuration.model.cell == cell }, cell.rawValue)
        }
        let indrnn = try runs("  - {model.cell: indrnn, model.recurrent_max: 1.5}")
        let arm = try XCTUnwrap(indrnn.first { $0.configuration.model.cell == .indRNN })
        XCTAssertEqual(arm.configuration.model.recurrentMax, 1.5)
        XCTAssertEqual(arm.configuration.model.configuration(for: AddingProblem(length: 4, trainingExamples: 2, evaluationExamples: 2))
            .recurrent.recurrentMax, 1.5)
        // The arms without the key keep their ids (nil is not encoded).
        XCTAssertEqual(Set(indrnn.filter { $0.configuration.model.cell != .indRNN }.map(\.runID)),
                       Set(plain.filter { $0.configuration.model.cell != .rnnRelu }.map(\.runID)))
        XCTAssertThrowsError(try runs("  - {model.cell: lstm, model.recurrent_max: 1.5}")) { error in
            XCTAssertTrue("\(error)".contains("model.recurrent_max"), "\(error)")
        }
    }

    /// Each malformed variant is rejected with file:line:column, the key and a useful message.
    func testMalformedFilesNameFileLineColumnAndKey() {
        let cases: [(String, String, String)] = [
            ("  hidden_size: 16", "  hiden_size: 16", "experiments/x.yaml:7:3: model.hiden_size: unknown key"),
            ("  hidden_size: 16", "  hidden_size: sixteen", "experiments/x.yaml:7:16: model.hidden_size: expected a whole number, got 'sixteen'"),
            ("  hidden_size: 16", "  hidden_size: -3", "experiments/x.yaml:7:16: model.hidden_size: -3 is out of range"),
            ("  cell: lstm", "  cell: lstmm", "experiments/x.yaml:6:9: model.cell: 'lstmm' is not one of rnn_tanh, rnn_relu, lstm, gru, indrnn, indrnn_tanh, lstm_peephole, lstm_nig, lstm_nfg, lstm_nog, lstm_niaf, lstm_noaf, lstm_np, lstm_cifg, lstm_fgr, min_gru, min_lstm; did you mean 'lstm'?"),
            ("  optimizer: {kind: adam, learning_rate: 0.01}", "  optimizer: {kind: adam, learning_rate: 0.01, momentum: 0.9}",
             "training.optimizer.momentum: not an option of adam"),
            ("  model.cell: [rnn_tanh, lstm, gru]", "  model.cell: [rnn_tanh, lstm, grru]", "experiments/x.yaml:14:32: model.cell: 'grru' is not one of"),
            ("seeds: 3", "seedz: 3", "experiments/x.yaml:20:1: seedz: unknown key"),
            ("seeds: 3", "seeds: []", "experiments/x.yaml:20:8: seeds: expected at least one seed"),
            ("task: {kind: adding, length: 20, training_examples: 500, evaluation_examples: 100}", "task: {kind: music, data: bach}",
             "task.data: 'bach' is not one of jsb_chorales, nottingham"),
            ("  clipping: {kind: global_norm, threshold: 1}", "  clipping: {kind: global_norm}", "training.clipping.threshold: missing"),
            ("name: adding-cells", "name: ../escape", "name: '../escape' must be letters"),
            ("  smoke: {training.epochs: 1, task.length: 5}", "  smoke: {epochs: 1}", "profiles.smoke.epochs: expected a dotted config key"),
            ("model:", "model: [", "experiments/x.yaml:"),
            ("  batch_size: 20", "  batch_size: 20\n  loss_reduction: summed",
             "experiments/x.yaml:11:19: training.loss_reduction: 'summed' is not one of mean, sum_over_steps"),
        ]
        for (original, replacement, expected) in cases {
            let text = valid.replacingOccurrences(of: original, with: replacement)
            XCTAssertNotEqual(text, valid, "the test's replacement of '\(original)' did not apply")
            XCTAssertThrowsError(try Experiment.parse(text, file: "experiments/x.yaml"), replacement) { error in
                XCTAssertTrue("\(error)".contains(expected), "expected «\(expected)» in «\(error)»")
            }
        }
    }
}
