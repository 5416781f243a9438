import Foundation
import RNNLabExperiments
@testable import RNNLabReports
@testable import RNNLabRunStore
import RNNLabTraining
import XCTest

/// The rules that make a comparison trustworthy, each checked on run records written to a store in the test and
/// collected into a report: ties, significant wins, paired seeds, equal budgets, budget-limited arms, exploded
/// runs and clipping diagnostics.
final class MethodologyRulesTests: XCTestCase {
    /// An experiment of two arms (`model.cell`: gru, lstm) on a small adding task, 3 seeds.
    func experiment(extra: String = "", training: String = "{epochs: 10, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}",
                    compare: String = "compare: {model.cell: [gru, lstm]}") throws -> Experiment {
        try Experiment.parse("""
        name: rules
        title: Rules
        description: Records built by hand.
        task: {kind: adding, length: 5, training_examples: 40, evaluation_examples: 20}
        model: {cell: gru, hidden_size: 4}
        training: \(training)
        \(compare)
        seeds: 3
        report: {metric: mse}
        \(extra)
        """, file: "experiments/rules.yaml")
    }

    /// One step of a record: clipped when `after` differs from `before`.
    func step(_ n: Int, before: Double, after: Double? = nil, tokens: Int = 100) -> StepRecord {
        StepRecord(step: n, epoch: 1, loss: 0.1, gradientNormBefore: before, gradientNormAfter: after ?? before, learningRate: 0.01,
                   wallSeconds: Double(n), tokens: tokens)
    }

    /// Writes a record per planned run: `mse[arm][seed index]`, the epochs it trained and its best, and its steps.
    func store(_ experiment: Experiment, mse: [String: [Double]], trained: Int = 10, best: Int = 4,
               steps: (String) -> [StepRecord] = { _ in [] }) throws -> RunStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-rules-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let store = RunStore(results: directory)
        var index: [String: Int] = [:]
        for run in try experiment.plan() {
            let i = index[run.arm, default: 0]
            index[run.arm] = i + 1
            guard let values = mse[run.arm], i < values.count else { continue }
            let value = values[i]
            let epochs = (1...trained).map { e in
                RunRecord.Epoch(epoch: e, trainingLoss: value, validationMetrics: ["loss": e == best ? value : value + 1, "mse": value],
                                testMetrics: ["loss": value, "mse": value], learningRate: 0.01, wallSeconds: Double(e))
            }
            try store.write(RunRecord(experiment: experiment.name, runID: run.runID, configuration: run.configuration, status: .complete,
                                      statusDetail: "", provenance: nil, created: "", updated: "", trainingSeconds: 1, bestEpoch: best,
                                      epochs: epochs, finalMetrics: ["loss": value, "mse": value], steps: StepSeries(steps(run.arm)),
                                      weights: WeightDigests([]), report: .init(baseline: ["loss": 0.17, "mse": 0.17])))
        }
        return store
    }

    func testPairedTTestMatchesScipy() throws {
        // scipy.stats.ttest_rel([1, 2, 3, 4.5], [0.5, 1.8, 2.1, 4.0]): t = 3.655630775069655, p = 0.035352847002517354.
        let test = try XCTUnwrap(DifferenceTest.paired([1, 2, 3, 4.5], [0.5, 1.8, 2.1, 4.0]))
        XCTAssertEqual(test.method, .paired(pairs: 4))
        XCTAssertEqual(test.difference / test.standardError, 3.655630775069655, accuracy: 1e-10)
        XCTAssertEqual(test.p, 0.035352847002517354, accuracy: 1e-10)
        XCTAssertEqual(test.degreesOfFreedom, 3)
        XCTAssertGreaterThan(test.interval.low, 0, "p < 0.05: the 95% CI excludes 0")
        XCTAssertNil(DifferenceTest.paired([1], [2]))
        XCTAssertNil(DifferenceTest.paired([1, 2], [2, 3, 4]))
    }

    /// Seeds pair the arms (same task and batch size, same seeds): a consistent per-seed gain is significant by the
    /// paired test although Welch's test, blind to the pairing, finds nothing (scipy on ten times these values,
    /// which leaves p unchanged: ttest_rel p = 0.0198, ttest_ind(equal_var=False) p = 0.706).
    func testASignificantWinByPairedSeedsIsBoldAndHeadlined() throws {
        let parsed = try experiment()
        let report = try ExperimentReport.collect(parsed, profile: nil, store: try store(parsed, mse: [
            "model.cell=gru": [0.070, 0.0725, 0.077], "model.cell=lstm": [0.071, 0.074, 0.078]]))
        // Lower is better: gru wins by the same small margin on every seed.
        let verdict = try XCTUnwrap(report.verdicts.first)
        guard case .significant = verdict.standing else { return XCTFail("\(verdict.standing)") }
        let test = try XCTUnwrap(verdict.versusBest[1])
        XCTAssertEqual(test.method, .paired(pairs: 3))
        XCTAssertTrue(report.markdownTable.contains("**0.073 ± 0.004**"), report.markdownTable)
        XCTAssertTrue(report.markdownTable.contains(", paired)"), report.markdownTable)
        XCTAssertTrue(report.significanceText.contains("beats the runner-up `model.cell=lstm` at α = 0.05 (paired t-test over 3 seeds"),
                      report.significanceText)
        XCTAssertTrue(report.headline.hasPrefix("best: `model.cell=gru`"), report.headline)
        let unpaired = try XCTUnwrap(DifferenceTest.welch([0.071, 0.074, 0.078], [0.070, 0.0725, 0.077]))
        XCTAssertGreaterThan(unpaired.p, 0.5, "the same numbers unpaired")
    }

    /// Arms whose runs do not share their seeds (one run missing) are compared by Welch's test; a difference inside
    /// the noise is a tie: nothing bold, "no significant difference", headline "tied".
    func testATieIsNotBoldAndTheHeadlineSaysTied() throws {
        let parsed = try experiment()
        let report = try ExperimentReport.collect(parsed, profile: nil, store: try store(parsed, mse: [
            "model.cell=gru": [0.05, 0.09, 0.07], "model.cell=lstm": [0.06, 0.1]]))
        let verdict = try XCTUnwrap(report.verdicts.first)
        guard case .tied = verdict.standing else { return XCTFail("\(verdict.standing)") }
        XCTAssertEqual(verdict.versusBest[1]?.method, .welch, "the lstm arm lacks seed 3: no pairing")
        XCTAssertFalse(report.markdownTable.contains("**"), report.markdownTable)
        XCTAssertTrue(report.significanceText.contains("No significant difference between `model.cell=gru` and `model.cell=lstm` (Welch's t-test"),
                      report.significanceText)
        XCTAssertTrue(report.headline.hasPrefix("tied: `model.cell=gru`, `model.cell=lstm`"), report.headline)
        XCTAssertTrue(report.markdownTable.contains("| 2/3 |"), "the count of complete runs stands beside the mean")
    }

    /// Arms planning more than 10% different numbers of updates are rejected before anything runs, unless the file
    /// says why; `equalize` is checked against what every arm has.
    func testUnequalUpdatesAreRejectedAtValidation() throws {
        let compare = "compare: {training.batch_size: [10, 20]}"
        XCTAssertThrowsError(try experiment(compare: compare)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("experiments/rules.yaml:7:"), text)
            XCTAssertTrue(text.contains("budget: 'training.batch_size=10' plans 40 updates, 'training.batch_size=20' 20 (2×)"), text)
            XCTAssertTrue(text.contains("budget.unequal_updates"), text)
        }
        let declared = try experiment(extra: "budget: {unequal_updates: \"the batch size is the factor: one epoch each\"}", compare: compare)
        XCTAssertEqual(declared.budget.unequalUpdates, "the batch size is the factor: one epoch each")
        // Equal updates by construction: both arms stop at max_steps.
        let steps = try experiment(extra: "budget: {equalize: steps, epochs: 100, max_steps: 30}", compare: compare)
        XCTAssertEqual(steps.budget.equalize, .steps)
        XCTAssertThrowsError(try experiment(extra: "budget: {equalize: steps}", compare: compare)) { error in
            XCTAssertTrue("\(error)".contains("budget.equalize: 'steps' needs the same training.max_steps in every arm; the arms have none"), "\(error)")
        }
        // Truncation on a language model: a segment of k steps per update.
        XCTAssertThrowsError(try Experiment.parse("""
        name: t
        task: {kind: language_model, data: timemachine, steps: 20}
        model: {cell: lstm, hidden_size: 4}
        training: {epochs: 2, batch_size: 4, optimizer: {kind: adam}}
        compare: {training.truncation: [full, {kind: fixed, length: 5}]}
        """, file: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("plans 4× as many updates as 'training.truncation=full' on the same data"), "\(error)")
        }
        // An epochs sweep holds no budget equal: undeclared, it is said so; declared `epochs`, it is an error.
        let sweep = try experiment(extra: "budget: {unequal_updates: \"epochs are the factor\"}", compare: "compare: {training.epochs: [5, 10]}")
        XCTAssertNil(sweep.budget.equalize)
        XCTAssertTrue(try ExperimentReport.collect(sweep, profile: nil, store: try store(sweep, mse: [:])).heldEqualNote
            .hasPrefix("Held equal across arms: no budget (the arms differ in their epochs"))
        XCTAssertThrowsError(try experiment(extra: "budget: {equalize: epochs, unequal_updates: \"x\"}", compare: "compare: {training.epochs: [5, 10]}")) { error in
            XCTAssertTrue("\(error)".contains("budget.equalize: 'epochs' needs the same training.epochs in every arm; the arms have 10, 5"), "\(error)")
        }
        XCTAssertEqual(try experiment().budget.equalize, .epochs, "undeclared, equal epochs: the default")
        // Within 10%: accepted.
        XCTAssertNoThrow(try experiment(training: "{epochs: 10, batch_size: 20, optimizer: {kind: adam}}",
                                        compare: "compare: {training.batch_size: [20, 21]}"))
    }

    /// A run whose best validation epoch is in the last 10% of its epochs was still improving: its arm is flagged in
    /// the table, its reference comparison says "budget-limited", and so do the verdict and the headline.
    func testBudgetLimitedArmsAreFlaggedEverywhere() throws {
        let parsed = try experiment(extra: """
        reference:
          - {arm: {model.cell: gru}, metric: mse, value: 0.05, tolerance: 0.01, source: "Paper 2020", deviations: ["We use 4 units, not 100."]}
        """)
        let report = try ExperimentReport.collect(parsed, profile: nil, store: try store(parsed, mse: [
            "model.cell=gru": [0.01, 0.012, 0.011], "model.cell=lstm": [0.1, 0.12, 0.11]], trained: 20, best: 19))
        XCTAssertTrue(ExperimentReport.ArmSummary.isStillImproving(trained: 20, best: 19, stoppedEarly: false))
        XCTAssertFalse(ExperimentReport.ArmSummary.isStillImproving(trained: 20, best: 18, stoppedEarly: false))
        XCTAssertTrue(ExperimentReport.ArmSummary.isStillImproving(trained: 6, best: 6, stoppedEarly: false))
        XCTAssertFalse(ExperimentReport.ArmSummary.isStillImproving(trained: 20, best: 20, stoppedEarly: true))
        XCTAssertTrue(report.markdownTable.contains("20 (19) **still improving** (3/3)"), report.markdownTable)
        XCTAssertTrue(report.significanceText.contains("Budget-limited: `model.cell=gru` (3/3 runs), `model.cell=lstm` (3/3 runs) were still improving"),
                      report.significanceText)
        XCTAssertTrue(report.headline.hasPrefix("budget-limited, best: `model.cell=gru`"), report.headline)
        let references = try XCTUnwrap(report.referenceTable)
        XCTAssertTrue(references.contains("**no** (±0.0100); budget-limited (still improving); not the paper's configuration [1]"), references)
        XCTAssertTrue(references.contains("1. Paper 2020, mse: We use 4 units, not 100."), references)
        XCTAssertTrue(report.markdown.contains("Early stopping's patience: none."), report.markdown)
        XCTAssertTrue(report.csv.contains(",3\n"), "still_improving is the CSV's last column: \(report.csv)")
    }

    /// Exploded runs are counted and left out of the mean; the count stands beside the mean.
    func testExplodedRunsAreExcludedWithTheirCount() throws {
        let parsed = try experiment()
        let report = try ExperimentReport.collect(parsed, profile: nil, store: try store(parsed, mse: [
            "model.cell=gru": [0.05, 0.07, 0.9], "model.cell=lstm": [0.06, 0.08, 0.07]]))
        let gru = report.arms[0]
        XCTAssertEqual(gru.exploded, 1)
        XCTAssertEqual(gru.values["mse"], [0.05, 0.07])
        XCTAssertTrue(report.markdownTable.contains("| `model.cell=gru` | 2/3 | 0.060 ± 0.014 |"), report.markdownTable)
        XCTAssertEqual(report.verdicts.first?.versusBest[1]?.method, .welch, "gru's complete runs are seeds 1 and 2 only: no pairing")
    }

    /// Clipping diagnostics from every step: a threshold that changed every update (fraction 1.0) against one that
    /// never did (0.0), with the median norm before clipping; shown because the arms differ in clipping.
    func testClippedFractionsOfOneAndZero() throws {
        let parsed = try experiment(training: "{epochs: 10, batch_size: 20, optimizer: {kind: adam}, clipping: {kind: global_norm, threshold: 1}}",
                                    compare: "compare: {training.clipping.threshold: [0.5, 100]}")
        let report = try ExperimentReport.collect(parsed, profile: nil, store: try store(parsed, mse: [
            "training.clipping.threshold=0.5": [0.05, 0.06, 0.07], "training.clipping.threshold=100": [0.05, 0.06, 0.08]]) { arm in
            arm.hasSuffix("=0.5") ? (1...5).map { self.step($0, before: Double($0), after: 0.5) } : (1...4).map { self.step($0, before: Double($0)) }
        })
        XCTAssertEqual(report.arms[0].values["clipped_fraction"], [1, 1, 1])
        XCTAssertEqual(report.arms[1].values["clipped_fraction"], [0, 0, 0])
        XCTAssertEqual(report.arms[0].values["median_grad_norm"], [3, 3, 3])
        XCTAssertEqual(report.arms[1].values["median_grad_norm"], [2.5, 2.5, 2.5], "the mean of the middle two of 1, 2, 3, 4")
        XCTAssertEqual(report.arms[0].updates, [5, 5, 5])
        XCTAssertEqual(report.arms[0].tokens, [500, 500, 500])
        let table = report.markdownTable
        XCTAssertTrue(table.contains("| clipped_fraction | median_grad_norm | updates | tokens |"), table)
        XCTAssertTrue(table.contains("| 1.0000 ± 0 | 3.0000 ± 0 | 5 | 500 |"), table)
        XCTAssertTrue(table.contains("| 0.0000 ± 0 | 2.5000 ± 0 | 4 | 400 |"), table)
        XCTAssertTrue(report.markdown.contains("**The arms' mean numbers of updates differ by 1.2×"), "5 against 4 updates, undeclared")
    }

    /// Older records without the exact counts: a series whose norms after clipping equal those before is 0 clipped;
    /// one that differs cannot be told from its buckets and gives no value.
    func testClippedFractionOfOlderRecords() {
        var unclipped = StepSeries((1...3).map { step($0, before: Double($0)) })
        unclipped.clippedSteps = nil
        XCTAssertEqual(unclipped.clippedFraction, 0)
        var clipped = StepSeries((1...3).map { step($0, before: Double($0), after: 1) })
        XCTAssertEqual(clipped.clippedFraction ?? -1, 2.0 / 3, accuracy: 1e-15, "steps 2 and 3 were clipped, step 1 was not")
        clipped.clippedSteps = nil
        XCTAssertNil(clipped.clippedFraction)
    }
}
