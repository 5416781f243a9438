import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore
import XCTest

/// The experiment catalog: listing `experiments/*.yaml`, resolving names, counting run states.
final class ExperimentCatalogTests: XCTestCase {
    var directory: URL!
    var catalog: ExperimentCatalog { ExperimentCatalog(directory: directory.appendingPathComponent("experiments").path) }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    func writeExperiment(_ name: String, seeds: Int) throws {
        try """
        name: \(name)
        task: {kind: adding, length: 6, training_examples: 60, evaluation_examples: 20}
        model: {cell: gru, hidden_size: 4}
        training: {epochs: 1, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
        seeds: \(seeds)
        report: {metric: mse}
        """.write(toFile: catalog.path(of: name), atomically: true, encoding: .utf8)
    }

    func testListsTheYAMLFilesSortedAndResolvesNames() throws {
        try writeExperiment("zeta", seeds: 1)
        try writeExperiment("alpha", seeds: 1)
        try "not an experiment".write(toFile: catalog.directory + "/notes.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(catalog.files, [catalog.directory + "/alpha.yaml", catalog.directory + "/zeta.yaml"])
        XCTAssertEqual(ExperimentCatalog().path(of: "adding-cells"), "experiments/adding-cells.yaml", "NAME means experiments/NAME.yaml")
        XCTAssertEqual(ExperimentCatalog().path(of: "other/x.yaml"), "other/x.yaml", "a path is taken as is")
        XCTAssertEqual(ExperimentCatalog().path(of: "x.yaml"), "x.yaml")
        XCTAssertEqual(ExperimentCatalog().path(of: "./adding"), "./adding")
        XCTAssertEqual(try catalog.load("alpha").name, "alpha")
        XCTAssertEqual(try catalog.load(catalog.directory + "/zeta.yaml").name, "zeta")
        XCTAssertEqual(ExperimentCatalog(directory: directory.appendingPathComponent("none").path).files, [], "no folder, no experiments")
    }

    func testAnUnknownNameIsAnErrorNamingTheFileItStandsFor() throws {
        XCTAssertThrowsError(try catalog.load("nosuch")) { error in
            XCTAssertEqual("\(error)", "\(catalog.directory)/nosuch.yaml:1:1: cannot read the file")
        }
    }

    func testCountsTheStatesOfThePlannedRuns() throws {
        try writeExperiment("counted", seeds: 3)
        let experiment = try catalog.load("counted")
        let store = RunStore(results: directory.appendingPathComponent("results"))
        XCTAssertEqual(try catalog.stateCounts(of: experiment, profile: nil, store: store).description, "3 missing")

        let runs = try experiment.plan()
        let data = DataDirectory(explicit: directory.path, environment: [:], workingDirectory: directory)
        try ExperimentRunner(experiment: experiment, profile: nil, store: store, data: data, rnnlabVersion: "test").runOne(runs[1])
        try RunFailure(error: "disk full").write(forRunAt: store.path("counted", runs[2].runID))
        let statuses = try catalog.runStatuses(of: experiment, profile: nil, store: store)
        XCTAssertEqual(statuses.map(\.run.runID), runs.map(\.runID), "in plan order")
        let counts = try catalog.stateCounts(of: experiment, profile: nil, store: store)
        XCTAssertEqual(counts.description, "1 complete, 1 failed, 1 missing")
        XCTAssertEqual(counts[.complete], 1)
        XCTAssertEqual(counts[.running], 0)
        XCTAssertEqual(counts.total, 3)
    }
}
