import Foundation
import RNNLabExperiments
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

/// The non-recurrent model kinds and the sequential-image task in experiment files: what the reader accepts and
/// rejects, the family each run goes to, profiles that shrink whole-section arms, and the three baseline
/// experiments as committed.
final class BaselineExperimentTests: XCTestCase {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func parse(_ body: String) throws -> Experiment {
        try Experiment.parse("name: t\ntitle: t\ndescription: t\n" + body, file: "t.yaml")
    }

    let training = "training: {epochs: 2, batch_size: 8, optimizer: {kind: adam}}\n"

    func testModelKindsAreReadIntoTheirSettingsAndFamilies() throws {
        let runs = try parse("""
            task: {kind: adding, length: 30}
            model: {cell: lstm, hidden_size: 8}
            \(training)include:
              - {label: tcn, model: {kind: tcn, levels: 3, channels: 5, kernel_size: 4, dropout: 0.1}}
              - {label: transformer, model: {kind: transformer, layers: 2, width: 12, heads: 3, context: 30, positions: sinusoidal}}
              - {label: lstm, model.cell: lstm}
            """).plan()
        let tcn = try XCTUnwrap(runs.first { $0.arm == "tcn" }?.configuration.model)
        XCTAssertEqual(tcn.tcn, TCNModelSettings(levels: 3, channels: 5, kernelSize: 4))
        XCTAssertEqual(tcn.tcn?.receptiveField, 1 + 2 * 3 * 7)
        XCTAssertEqual(tcn.dropout, 0.1)
        XCTAssertEqual(tcn.readout, .finalState)
        let transformer = try XCTUnwrap(runs.first { $0.arm == "transformer" }?.configuration.model)
        XCTAssertEqual(transformer.transformer, TransformerModelSettings(heads: 3, mlpRatio: 4, context: 30, positions: .sinusoidal))
        XCTAssertEqual([transformer.hiddenSize, transformer.layers], [12, 2])
        XCTAssertEqual(transformer.readout, .meanPool)
        XCTAssertEqual(try runs.map { try ModelFamilies.family(for: $0.configuration).name }, ["tcn", "transformer", "sequence"])
        // A recurrent configuration encodes no new key, so existing run ids stay.
        let lstm = try XCTUnwrap(runs.first { $0.arm == "lstm" }?.configuration)
        XCTAssertFalse(try lstm.canonicalJSON().contains("tcn") || lstm.canonicalJSON().contains("transformer"))
        XCTAssertEqual(tcn.kindName, "tcn")
    }

    func testReaderRejectsWhatTheKindsDoNotTake() {
        let cases: [(String, String)] = [
            ("model: {kind: tcn, levels: 2, channels: 4, cell: lstm}", "model.cell: not an option of tcn models"),
            ("model: {kind: tcn, channels: 4}", "model.levels: missing"),
            ("model: {cell: lstm, hidden_size: 4, kernel_size: 3}", "only for model.kind: tcn"),
            ("model: {kind: transformer, width: 10, heads: 3, context: 40}", "3 heads do not divide width 10"),
            ("model: {kind: transformer, width: 8, heads: 2, context: 20}", "20 positions, but the task's sequences have 30 steps"),
            ("model: {kind: tcn, levels: 2, channels: 4, readout: attention}", "reads out by final_state or mean_pool"),
        ]
        for (model, expected) in cases {
            XCTAssertThrowsError(try parse("task: {kind: adding, length: 30}\n\(model)\n\(training)")) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(model): \(error)")
            }
        }
        XCTAssertThrowsError(try parse("task: {kind: adding, length: 30}\nmodel: {kind: tcn, levels: 2, channels: 4}\n"
                                       + "training: {epochs: 2, optimizer: {kind: adam}, truncation: {kind: fixed, length: 5}}\n")) { error in
            XCTAssertTrue("\(error)".contains("full back-propagation"), "\(error)")
        }
    }

    func testSequentialImageTaskAndItsUpdatePlan() throws {
        let runs = try parse("""
            task: {kind: sequential_image, data: fashion_mnist, order: permuted_pixels, training_examples: 1000, test_examples: 500}
            model: {kind: tcn, levels: 7, channels: 4}
            training: {epochs: 2, batch_size: 100, optimizer: {kind: adam}}
            """).plan()
        XCTAssertEqual(runs.first?.configuration.task,
                       .sequentialImage(dataSet: "fashion_mnist", order: .permutedPixels, trainingExamples: 1000,
                                        validationExamples: 5000, testExamples: 500))
        // Arms with 10× the training images are flagged unless the file says why.
        XCTAssertThrowsError(try parse("""
            task: {kind: sequential_image, data: fashion_mnist, training_examples: 1000}
            model: {cell: gru, hidden_size: 8}
            training: {epochs: 2, batch_size: 100, optimizer: {kind: adam}}
            include:
              - {model.cell: gru}
              - {task.training_examples: 10000}
            """)) { error in
            XCTAssertTrue("\(error)".contains("plans 200 updates") || "\(error)".contains("updates"), "\(error)")
        }
    }

    func testProfilesShrinkArmsThatSetWholeSections() throws {
        let experiment = try parse("""
            task: {kind: adding, length: 30}
            model: {cell: lstm, hidden_size: 8}
            \(training)include:
              - {label: adding, task: {kind: adding, length: 30, training_examples: 500}, model: {cell: gru, hidden_size: 16}}
              - {label: copy, task: {kind: copy_memory, delay: 40, training_examples: 500}, model: {kind: tcn, levels: 3, channels: 16}}
              - {label: music, task: {kind: music, data: jsb_chorales}, model: {cell: lstm, hidden_size: 16}}
            profiles:
              smoke: {seeds: 1, task.training_examples: 20, task.length: 10, model.hidden_size: 4, model.channels: 2}
            seeds: 3
            """)
        // The profile plans one seed per arm; the default profile keeps three.
        XCTAssertEqual(try experiment.plan(profile: "smoke").map(\.seed), [1, 1, 1])
        XCTAssertEqual(try experiment.plan().count, 9)
        let smoke = Dictionary(uniqueKeysWithValues: try experiment.plan(profile: "smoke").map { ($0.arm, $0.configuration) })
        XCTAssertEqual(smoke["adding"]?.task, .adding(length: 10, trainingExamples: 20))
        XCTAssertEqual(smoke["adding"]?.model.hiddenSize, 4)
        XCTAssertEqual(smoke["copy"]?.task, .copyMemory(delay: 40, trainingExamples: 20))
        XCTAssertEqual(smoke["copy"]?.model.tcn?.channels, 2)
        XCTAssertEqual(smoke["music"]?.task, .music(dataSet: "jsb_chorales"))
        // The default profile is untouched.
        let plain = try experiment.plan().first { $0.arm == "copy" }
        XCTAssertEqual(plain?.configuration.task, .copyMemory(delay: 40, trainingExamples: 500))
    }

    func testTheBaselineExperimentsValidate() throws {
        let expected = ["tcn-vs-rnn": 60, "transformer-vs-rnn": 27, "fashion-mnist-sequential": 36]
        for (name, count) in expected {
            let experiment = try Experiment.load(path: Self.package.appendingPathComponent("experiments/\(name).yaml").path)
            let runs = try experiment.plan()
            XCTAssertEqual(runs.count, count, name)
            XCTAssertTrue(experiment.profiles.contains("smoke"), name)
            let kinds = Set(runs.map(\.configuration.model.kindName))
            XCTAssertTrue(kinds.contains("tcn") || kinds.contains("transformer"), "\(name): \(kinds)")
            // Arms of one task hold the parameter count within 2% (checked from the settings, see the descriptions).
            let header = try String(contentsOfFile: experiment.file, encoding: .utf8)
            XCTAssertTrue(header.contains("Estimated CPU time of the default profile"), name)
        }
    }
}
