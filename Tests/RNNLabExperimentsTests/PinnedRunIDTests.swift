import Foundation
import RNNLabExperiments
import XCTest

/// Every committed experiment's run ids, pinned. A run id is the hash of a run's resolved configuration, so a
/// refactor of the reader, the defaults or the configuration types that changes any of them would orphan every
/// stored run. `Fixtures/pinned-run-ids.tsv` was written before the architecture rework and must not change
/// unless an experiment file does (then regenerate it with `RNNLAB_PIN_RUN_IDS=1 swift test --filter PinnedRunIDTests`).
final class PinnedRunIDTests: XCTestCase {
    static let packageDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pinned-run-ids.tsv")

    /// One line per planned run: experiment, profile ("-" for the default), arm, seed, run id.
    static func currentLines() throws -> [String] {
        let directory = packageDirectory.appendingPathComponent("experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var lines: [String] = []
        for file in files {
            let experiment = try Experiment.load(path: directory.appendingPathComponent(file).path)
            for profile in [nil] + experiment.profiles.sorted() {
                for run in try experiment.plan(profile: profile) {
                    lines.append([experiment.name, profile ?? "-", run.arm, String(run.seed), run.runID].joined(separator: "\t"))
                }
            }
        }
        return lines
    }

    func testEveryCommittedExperimentKeepsItsRunIDs() throws {
        let lines = try Self.currentLines()
        if ProcessInfo.processInfo.environment["RNNLAB_PIN_RUN_IDS"] == "1" {
            try (lines.joined(separator: "\n") + "\n").write(to: Self.fixture, atomically: true, encoding: .utf8)
        }
        let pinned = try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(pinned.count, 381, "the fixture covers the default profile's 381 runs and every other profile")
        XCTAssertEqual(Set(lines).count, lines.count, "a line repeats")
        let added = Set(lines).subtracting(pinned), removed = Set(pinned).subtracting(lines)
        XCTAssertTrue(added.isEmpty && removed.isEmpty,
                      "run ids changed:\n" + removed.sorted().prefix(10).map { "- \($0)" }.joined(separator: "\n")
                      + "\n" + added.sorted().prefix(10).map { "+ \($0)" }.joined(separator: "\n"))
    }
}
