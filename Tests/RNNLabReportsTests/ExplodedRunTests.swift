import Foundation
import RNNLabExperiments
import RNNLabReports
@testable import RNNLabRunStore
import XCTest

/// Runs that end far worse than the trivial baseline are "exploded": counted in their own column and never
/// averaged into the arm's mean. Collected from real records in a store.
final class ExplodedRunTests: XCTestCase {
    let experiment = """
    name: boom
    title: Boom
    description: Three seeds, one of which blows up.
    task: {kind: adding, length: 5, training_examples: 40, evaluation_examples: 20}
    model: {cell: gru, hidden_size: 4}
    training: {epochs: 1, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
    seeds: 3
    report: {metric: mse}
    """

    func testTheRule() {
        XCTAssertTrue(ExplodedRun.isExploded(187, baseline: 4.49, lowerIsBetter: true))
        XCTAssertTrue(ExplodedRun.isExploded(28, baseline: 10.26, lowerIsBetter: true))
        XCTAssertFalse(ExplodedRun.isExploded(5188, baseline: 2886, lowerIsBetter: true), "worse than naive is a result, not an explosion")
        XCTAssertTrue(ExplodedRun.isExploded(.infinity, baseline: 639.8, lowerIsBetter: true))
        XCTAssertTrue(ExplodedRun.isExploded(0.2, baseline: 0.5, lowerIsBetter: false))
        XCTAssertFalse(ExplodedRun.isExploded(0.45, baseline: 0.5, lowerIsBetter: false))
    }

    func testExplodedRunsHaveTheirOwnColumnAndStayOutOfTheMean() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-exploded-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let store = RunStore(results: directory)
        let parsed = try Experiment.parse(experiment, file: "boom.yaml")
        let runs = try parsed.plan()
        XCTAssertEqual(runs.count, 3)
        for (run, mse) in zip(runs, [0.05, 0.07, 0.9]) {
            let epoch = RunRecord.Epoch(epoch: 1, trainingLoss: mse, validationMetrics: ["loss": mse, "mse": mse],
                                        testMetrics: ["loss": mse, "mse": mse], learningRate: 0.01, wallSeconds: 1)
            let record = RunRecord(experiment: "boom", runID: run.runID, configuration: run.configuration, status: .complete,
                                   statusDetail: "", provenance: nil, created: "", updated: "", trainingSeconds: 1, bestEpoch: 1,
                                   epochs: [epoch], finalMetrics: ["loss": mse, "mse": mse], steps: StepSeries([]),
                                   weights: WeightDigests([]), report: .init(baseline: ["loss": 0.17, "mse": 0.17]))
            try store.write(record)
        }
        let report = try ExperimentReport.collect(parsed, profile: nil, store: store)
        let arm = try XCTUnwrap(report.arms.first)
        XCTAssertEqual(arm.complete, 2)
        XCTAssertEqual(arm.exploded, 1)
        XCTAssertEqual(arm.finished, 3)
        XCTAssertEqual(arm.values["mse"], [0.05, 0.07], "the exploded run is not in the mean")
        let table = report.markdownTable
        XCTAssertTrue(table.contains("| diverged | exploded | time per run (s) |"), table)
        XCTAssertTrue(table.contains("| 2/3 | **0.060 ± 0.014** | – | 0 | – | 1 (1) **still improving** (3/3) | 0 | 1 | 1.0 |"), table)
        XCTAssertTrue(report.csv.hasPrefix("arm,planned,complete,diverged,exploded,"), report.csv)
        XCTAssertTrue(report.csv.contains(",3,2,0,1,1.000,"), report.csv)
        XCTAssertTrue(ResultsIndex.markdown([report]).contains("| 3/3 |"), "exploded runs are finished runs")
    }
}
