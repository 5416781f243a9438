import RNNLabExperiments
import RNNLabRunStore
import RNNLabTasks
import XCTest

/// The report's metrics are the ones the task declares: the direction follows from
/// the primary metric, and a name the task does not report is a located error.
final class ReportMetricTests: XCTestCase {
    let valid = ExperimentFileTests.validText

    func parse(_ original: String, _ replacement: String) throws -> Experiment {
        let text = valid.replacingOccurrences(of: original, with: replacement)
        XCTAssertNotEqual(text, valid, "the test's replacement of '\(original)' did not apply")
        return try Experiment.parse(text, file: "experiments/x.yaml")
    }

    func assertRejected(_ original: String, _ replacement: String, _ expected: [String], line: UInt = #line) {
        XCTAssertThrowsError(try parse(original, replacement), line: line) { error in
            for part in expected { XCTAssertTrue("\(error)".contains(part), "expected «\(part)» in «\(error)»", line: line) }
        }
    }

    func testUnknownMetricsAreRejectedWithASuggestion() {
        assertRejected("metric: mse, direction: lower", "metric: msee, direction: lower",
                       ["experiments/x.yaml:21:18: report.metric: 'msee' is not a metric of adding", "did you mean 'mse'?"])
        assertRejected("columns: [mae]", "columns: [mae, maee]",
                       ["experiments/x.yaml:21:", "report.columns: 'maee' is not a metric of adding", "did you mean 'mae'?"])
        assertRejected("plots: [curves, grad_norm]}", "plots: [curves, grad_norm], success: {metric: accuracy, below: 0.5}}",
                       ["experiments/x.yaml:21:", "report.success.metric: 'accuracy' is not a metric of adding (metrics: mse, mae, loss, train_loss, clipped_fraction, median_grad_norm)"])
        let reference = "\nreference:\n  - {arm: {model.cell: gru}, metric: rmse, value: 0.01, tolerance: 0.005, source: \"Paper\"}\n"
        XCTAssertThrowsError(try Experiment.parse(valid + reference, file: "experiments/x.yaml")) { error in
            XCTAssertTrue("\(error)".contains("experiments/x.yaml:25:"), "\(error)")
            XCTAssertTrue("\(error)".contains("reference.metric: 'rmse' is not a metric of adding"), "\(error)")
            XCTAssertTrue("\(error)".contains("did you mean 'mse'?"), "\(error)")
        }
        // Without report.metric the primary metric is `loss`, which every task declares.
        XCTAssertNoThrow(try parse("report: {metric: mse, direction: lower, columns: [mae], plots: [curves, grad_norm]}", "report: {plots: [curves]}"))
    }

    func testTheDirectionFollowsFromTheMetric() throws {
        XCTAssertTrue(try parse("metric: mse, direction: lower", "metric: mse").report.lowerIsBetter)
        let copy = "task: {kind: copy_memory, delay: 5, training_examples: 100, evaluation_examples: 10}"
        let text = valid.replacingOccurrences(of: "task: {kind: adding, length: 20, training_examples: 500, evaluation_examples: 100}", with: copy)
            .replacingOccurrences(of: "metric: mse, direction: lower, columns: [mae]", with: "metric: accuracy, columns: [loss]")
            .replacingOccurrences(of: "task.length: 5", with: "task.delay: 3")
        let derived = try Experiment.parse(text, file: "x.yaml")
        XCTAssertFalse(derived.report.lowerIsBetter, "accuracy: higher is better, from the task's declaration")
        XCTAssertEqual(try derived.plan().count, 18)
    }

    func testADirectionContradictingTheMetricIsRejected() {
        assertRejected("metric: mse, direction: lower", "metric: mse, direction: higher",
                       ["experiments/x.yaml:21:", "report.direction: 'higher' contradicts the metric 'mse', for which lower is better"])
    }

    func testMetricFamiliesAndTrainingFiguresAreKnown() throws {
        let lengths = TaskSpecification.seq2seq(Seq2SeqTaskSpecification(kind: .reversal, maxTrainingLength: 4))
        XCTAssertEqual(lengths.metric(named: "exact_match_len_24")?.lowerIsBetter, false)
        XCTAssertNil(lengths.metric(named: "exact_match_len_"))
        XCTAssertNil(lengths.metric(named: "exact_match_len_x"))
        let model = TaskSpecification.languageModel(dataSet: "ptb")
        XCTAssertEqual(model.metric(named: "train_perplexity")?.lowerIsBetter, true)
        XCTAssertNil(TaskSpecification.adding().metric(named: "train_perplexity"), "only language models have a training perplexity")
        XCTAssertEqual(TaskSpecification.sentiment(dataSet: "mr").metric(named: "accuracy")?.lowerIsBetter, false)
    }

    /// The runs are resolved when the file is read: the experiment keeps no YAML, and planning twice gives the same runs.
    func testTheFileIsReadOnce() throws {
        let experiment = try Experiment.parse(valid, file: "x.yaml")
        func holdsYAML(_ value: Any) -> Bool {
            Mirror(reflecting: value).children.contains { child in child.value is ConfigNode || holdsYAML(child.value) }
        }
        XCTAssertFalse(holdsYAML(experiment), "an Experiment keeps typed runs, not the parsed tree")
        XCTAssertEqual(try experiment.plan().map(\.runID), try experiment.plan().map(\.runID))
        XCTAssertEqual(try experiment.plan(profile: "smoke").map(\.configuration), try experiment.plan(profile: "smoke").map(\.configuration))
        XCTAssertNotEqual(try experiment.plan().map(\.runID), try experiment.plan(profile: "smoke").map(\.runID))
        XCTAssertThrowsError(try experiment.plan(profile: "full")) { error in
            XCTAssertTrue("\(error)".contains("profiles: no profile 'full' (profiles: smoke)"), "\(error)")
        }
    }

    /// Dotted settings (what `rnnlab train`'s flags become) give the run id of the experiment arm with those settings.
    func testSettingsGiveTheRunIDOfTheSameExperimentArm() throws {
        let run = try XCTUnwrap(try Experiment.parse(valid, file: "x.yaml").plan().first {
            $0.arm == "model.cell=gru, training.clipping.threshold=5" && $0.seed == 2
        })
        let settings = [("task.kind", "adding"), ("task.length", "20"), ("task.training_examples", "500"), ("task.evaluation_examples", "100"),
                        ("model.cell", "gru"), ("model.hidden_size", "16"), ("training.epochs", "3"), ("training.batch_size", "20"),
                        ("training.optimizer.kind", "adam"), ("training.optimizer.learning_rate", "0.01"),
                        ("training.clipping.kind", "global_norm"), ("training.clipping.threshold", "5")]
        let configuration = try RunConfiguration.read(settings: settings, seed: 2, source: "settings")
        XCTAssertEqual(configuration, run.configuration)
        XCTAssertEqual(try configuration.runID(), run.runID)
        XCTAssertThrowsError(try RunConfiguration.read(settings: settings.map { $0.0 == "model.cell" ? ($0.0, "grru") : $0 }, seed: 2,
                                                       source: "settings")) { error in
            XCTAssertTrue("\(error)".contains("settings:5:1: model.cell: 'grru' is not one of"), "\(error)")
        }
    }
}
