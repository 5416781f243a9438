import Foundation
@testable import RNNLabExperiments
import RNNLabRunStore
import XCTest

/// The limits of an experiment file (`ExperimentLimits`) and the planning that keeps
/// validation linear in the number of runs.
final class ExperimentLimitsTests: XCTestCase {
    let valid = ExperimentFileTests.validText

    func assertRejected(_ text: String, _ expected: [String], line: UInt = #line) {
        XCTAssertThrowsError(try Experiment.parse(text, file: "x.yaml"), line: line) { error in
            for part in expected { XCTAssertTrue("\(error)".contains(part), "expected «\(part)» in «\(error)»", line: line) }
        }
    }

    /// Aliases within the limits read as the values they stand for.
    func testAliasesWithinTheLimitsAreTheirValues() throws {
        let written = try Experiment.parse(valid, file: "x.yaml")
        let aliased = valid.replacingOccurrences(of: "clipping: {kind: global_norm", with: "clipping: &clipping {kind: global_norm")
            .replacingOccurrences(of: "profiles:\n  smoke: {training.epochs: 1, task.length: 5}",
                                  with: "profiles:\n  smoke: {training.epochs: 1, task.length: 5}\n  same: {training.clipping: *clipping}")
        XCTAssertNotEqual(aliased, valid)
        let experiment = try Experiment.parse(aliased, file: "x.yaml")
        XCTAssertEqual(try experiment.plan(profile: "same").map(\.runID), try written.plan().map(\.runID))
    }

    func testValuesPastTheLimitAreALocatedError() {
        // 1000 aliases of a list (101 values each): more than 100000 values from 1000 short lines; the file has 53
        // values besides, so the 989th alias goes over.
        var text = valid + "\nvalues: &values [" + Array(repeating: "1", count: 100).joined(separator: ", ") + "]\n"
        for index in 0..<1000 { text += "copy\(index): *values\n" }
        assertRejected(text, ["x.yaml:1013:1: copy988: the file has more than 100000 values once its YAML aliases are expanded"])
        // Written out, as many values are over the limit too: the error is at the one that goes over.
        let long = valid + "\nvalues: [" + Array(repeating: "1", count: 100_001).joined(separator: ", ") + "]\n"
        assertRejected(long, ["x.yaml:24:299851: values: the file has more than 100000 values (the limit of an experiment file)"])
    }

    func testKeysThatAreOrHoldAliasesAreRejectedBeforeComposing() {
        let anchored = valid + "\nvalues: &values [1, 2]\n"
        assertRejected(anchored + "other: {*values : 1}\n", ["x.yaml:25:9: other: a key that is an alias"])
        assertRejected(anchored + "other:\n  ? *values\n  : 1\n", ["x.yaml:26:3: other: a key that is an alias"])
        assertRejected(anchored + "other: {[*values]: 1}\n", ["x.yaml:25:17: other: a key that is an alias"])
        // Without aliases, such text is left to the reader (a non-word key is an error there too).
        assertRejected(valid + "\nother: {[1]: 1}\n", ["x.yaml:24:", "keys must be plain words"])
        // A description that merely looks like one is fine in a file without aliases.
        XCTAssertNoThrow(try Experiment.parse(valid.replacingOccurrences(of: "description: tanh RNN vs LSTM vs GRU.",
                                                                          with: "description: \"[a] : b ? c\""), file: "x.yaml"))
    }

    func testNestingPastTheLimitIsALocatedError() throws {
        let depth = ExperimentLimits.maximumDepth
        // The top-level mapping is level 1, `description`'s lists levels 2 and more.
        let inside = valid + "\nextra: " + String(repeating: "[", count: depth - 1) + "x" + String(repeating: "]", count: depth - 1) + "\n"
        assertRejected(inside, ["x.yaml:24:1: extra: unknown key"])
        let past = valid + "\nextra: " + String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth) + "\n"
        assertRejected(past, ["x.yaml:24:\(depth + 7): extra: lists and mappings nest deeper than \(depth) levels (the limit of an experiment file)"])
    }

    func testTheRunCountIsBoundedFromTheAxesBeforeAnyRunIsBuilt() {
        var grid = ExperimentGrid(root: .mapping([], SourcePosition(file: "x.yaml", line: 3, column: 1)))
        let values = (0..<1000).map { ConfigNode.scalar("\($0)", SourcePosition(file: "x.yaml", line: 4, column: 1)) }
        grid.axes = [("model.hidden_size", values), ("training.epochs", Array(values.prefix(100)))]
        grid.included = [[("model.cell", .scalar("gru", SourcePosition(file: "x.yaml", line: 5, column: 1)))]]
        XCTAssertEqual(grid.runCountBound(seeds: 3), 300_003)
        XCTAssertThrowsError(try grid.plan(profile: nil, seeds: [1, 2, 3])) { error in
            XCTAssertEqual("\(error)", "x.yaml:3:1: compare: the sweep has 300003 runs per profile ((1000 × 100 grid points + 1 included arms) × 3 seeds), "
                           + "more than the limit of 100000: split it into several experiment files")
        }
        grid.axes = Array(repeating: ("model.hidden_size", values), count: 7)
        XCTAssertEqual(grid.runCountBound(seeds: 1), Int.max, "10^21 points overflow")
        // Exactly at the limit is allowed.
        grid.axes = [("model.hidden_size", values), ("training.epochs", Array(values.prefix(100)))]
        grid.included = []
        XCTAssertNoThrow(try grid.checkSize(seeds: 1))
    }

    /// Run ids hashed from the sections' cached JSON are the ones of the whole configuration's canonical JSON.
    func testComposedRunIDsAreTheCanonicalOnesForEveryCommittedExperiment() throws {
        let directory = PinnedRunIDTests.packageDirectory.appendingPathComponent("experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var cache = SectionCache()
        var count = 0
        for file in files {
            let experiment = try Experiment.load(path: directory.appendingPathComponent(file).path)
            for profile in [nil] + experiment.profiles {
                for run in try experiment.plan(profile: profile) {
                    var training = run.configuration.training
                    training.seed = 0
                    let keys = SectionCache.Keys(task: "\(run.configuration.task)", model: "\(run.configuration.model)", training: "\(training)")
                    XCTAssertEqual(try cache.runID(of: run.configuration, keys: keys), try run.configuration.runID(), "\(file) \(run.arm)")
                    XCTAssertEqual(run.runID, try run.configuration.runID(), "\(file) \(run.arm)")
                    count += 1
                }
            }
        }
        XCTAssertEqual(cache.composes, true, "the ids were composed, not computed the slow way")
        XCTAssertGreaterThan(count, 381)
    }

    func testSamplesNeedLanguageModelRuns() {
        let samples = valid.replacingOccurrences(of: "plots: [curves, grad_norm]}", with: "plots: [curves, grad_norm], samples: {length: 10}}")
        XCTAssertNotEqual(samples, valid)
        assertRejected(samples, ["x.yaml:21:", "report.samples: samples are text generated by language_model runs; adding runs generate none"])
    }
}
