import Foundation
import RNNLabExperiments
import RNNLabReports
import RNNLabRunStore
import XCTest

/// Published values in the report: references find their arms, and a missing run is said to be missing.
final class ReferenceTableTests: XCTestCase {
    /// The experiment file the experiment-file tests vary.
    let valid = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RNNLabExperimentsTests/Fixtures/example-experiment.yaml"), encoding: .utf8)).map { String($0.dropLast()) } ?? ""   // without the final newline: tests append lines

    func testReferencesMatchArmsAndAreReported() throws {
        let withReference = valid + "\nreference:\n  - {arm: {model.cell: gru}, metric: mse, value: 0.01, tolerance: 0.005, source: \"Paper, Table 1\"}\n"
        let experiment = try Experiment.parse(withReference, file: "x.yaml")
        XCTAssertEqual(experiment.references.count, 1)
        XCTAssertTrue(experiment.references[0].matches([("model.cell", "gru"), ("training.clipping.threshold", "5")]))
        XCTAssertFalse(experiment.references[0].matches([("model.cell", "lstm")]))
        let store = RunStore(results: FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-none-\(UUID().uuidString)"))
        let report = try ExperimentReport.collect(experiment, profile: nil, store: store)
        let table = try XCTUnwrap(report.referenceTable)
        XCTAssertEqual(table.components(separatedBy: "Paper, Table 1").count - 1, 2, "both gru arms are listed")
        XCTAssertTrue(table.contains("no complete run"))
        XCTAssertTrue(report.markdown.contains("## Published values"))
        let unmatched = withReference.replacingOccurrences(of: "{model.cell: gru}", with: "{model.cell: elman}")
        XCTAssertThrowsError(try Experiment.parse(unmatched, file: "x.yaml")) { error in
            XCTAssertTrue("\(error)".contains("reference.arm: matches no arm"), "\(error)")
        }
    }
}
