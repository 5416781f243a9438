import Foundation
import RNNLabRunStore
import XCTest

/// Committed run records on the real CLI: a results directory with records and no run file is up to date,
/// its reports check, and `verify` and `run --recompute` compare recomputed runs with the records.
final class RecordsEndToEndTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }
    /// No data directory and no mirror: what a fresh clone without data has.
    let noData = ["RNNLAB_DATA": "/nonexistent/rnnlab-data", "RNNLAB_DATA_MIRROR": ""]

    let experiment = """
    name: ledger
    title: Records
    task: {kind: adding, length: 8, training_examples: 200, evaluation_examples: 60}
    model: {cell: gru, hidden_size: 6}
    training:
      epochs: 3
      batch_size: 20
      optimizer: {kind: adam, learning_rate: 0.01}
    include:
      - {model.cell: gru}
      - {model.cell: rnn_tanh}
    seeds: [1, 2]
    report: {metric: mse, plots: [curves, grad_norm]}
    """

    override func setUpWithError() throws {
        cli = try CLI(for: self)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("experiments"), withIntermediateDirectories: true)
        try experiment.write(to: work.appendingPathComponent("experiments/ledger.yaml"), atomically: true, encoding: .utf8)
    }

    var runs: URL { work.appendingPathComponent("results/ledger/runs") }

    func files(withSuffix suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(suffix) }.sorted()
    }

    func testVerifyWithNothingToCompareFails() throws {
        let verify = try cli(["verify", "ledger"])
        XCTAssertEqual(verify.status, 1, verify.output)
        XCTAssertTrue(verify.output.contains("verify: nothing was compared (no recorded run)"), verify.output)
    }

    /// Runs the experiment once, then removes every run file: what a fresh clone of committed results holds.
    func computeAndKeepOnlyRecords() throws -> [String] {
        let run = try cli(["run", "ledger"])
        XCTAssertEqual(run.status, 0, run.output)
        let records = try files(withSuffix: ".json")
        XCTAssertEqual(records.count, 4, "one record per finished run")
        for name in try files(withSuffix: ".h5") { try FileManager.default.removeItem(at: runs.appendingPathComponent(name)) }
        return records
    }

    func testRecordsAloneAreUpToDateAndServeReportsTablesStatusAndShow() throws {
        let records = try computeAndKeepOnlyRecords()
        let report = try String(contentsOf: work.appendingPathComponent("results/ledger/REPORT.md"), encoding: .utf8)

        // A lock left by a runner killed after writing the record (its process is gone) is removed.
        let deadLock = runs.appendingPathComponent(records[0].replacingOccurrences(of: ".json", with: ".h5.lock"))
        try "999999999 \(ProcessInfo.processInfo.hostName)\n".write(to: deadLock, atomically: true, encoding: .utf8)
        let again = try cli(["run", "ledger"], environment: noData)
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: deadLock.path), again.output)
        XCTAssertTrue(again.output.contains("the lock of a recorded run whose owner is gone"), again.output)
        XCTAssertTrue(again.output.contains("ledger: 4 runs, 4 already done, 0 to run (all recorded)"), again.output)
        XCTAssertEqual(try files(withSuffix: ".h5"), [], "nothing was computed")
        XCTAssertEqual(try String(contentsOf: work.appendingPathComponent("results/ledger/REPORT.md"), encoding: .utf8), report,
                       "the report from records alone is the report written beside the run files")

        let check = try cli(["report", "ledger", "--check"], environment: noData)
        XCTAssertEqual(check.status, 0, check.output)
        let all = try cli(["run", "--all"], environment: noData)
        XCTAssertEqual(all.status, 0, all.output)
        XCTAssertTrue(all.output.hasPrefix("1 experiment: 0 runs to compute\n"), all.output)
        let latex = try cli(["table", "ledger", "--format", "latex"], environment: noData)
        XCTAssertEqual(latex.status, 0, latex.output)
        XCTAssertTrue(latex.output.contains("\\toprule"), latex.output)
        let status = try cli(["status", "ledger"], environment: noData)
        XCTAssertTrue(status.output.contains("4 runs — 4 complete"), status.output)
        let id = String(records[0].dropLast(5))
        let shown = try cli(["show", runs.appendingPathComponent("\(id).h5").path], environment: noData)
        XCTAssertEqual(shown.status, 0, shown.output)
        XCTAssertTrue(shown.output.contains("run \(id) of ledger: complete"), shown.output)

        // A new seed computes only what is missing, with an estimate from the recorded runs first.
        let wider = experiment.replacingOccurrences(of: "seeds: [1, 2]", with: "seeds: [1, 2, 3]")
        try wider.write(to: work.appendingPathComponent("experiments/ledger.yaml"), atomically: true, encoding: .utf8)
        let grown = try cli(["run", "ledger"])
        XCTAssertEqual(grown.status, 0, grown.output)
        XCTAssertTrue(grown.output.contains("ledger: 6 runs, 4 already done, 2 to run (estimated "), grown.output)
        XCTAssertTrue(grown.output.contains("for 2 runs from recorded runs)"), grown.output)
        XCTAssertEqual(try files(withSuffix: ".h5").count, 2)
        XCTAssertEqual(try files(withSuffix: ".json").count, 6)
    }

    func testOneEditedNumberFailsTheReportCheckAndVerifyAndNamesTheRecord() throws {
        let records = try computeAndKeepOnlyRecords()
        let path = runs.appendingPathComponent(records[0]).path
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let final = try XCTUnwrap(text.range(of: "\"final\":{\"loss\":0."))
        let digit = text.index(final.upperBound, offsetBy: 2)
        text.replaceSubrange(digit...digit, with: text[digit] == "1" ? "2" : "1")
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        let check = try cli(["report", "ledger", "--check"], environment: noData)
        XCTAssertNotEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.contains("\(path): the record does not match its checksum"), check.output)
        XCTAssertTrue(check.output.contains("REPORT.md"), check.output)
        let verify = try cli(["verify", "ledger", "--all-runs"])
        XCTAssertEqual(verify.status, 1, verify.output)
        XCTAssertTrue(verify.output.contains("recomputing 3 of 4 planned runs; 1 have no valid record"), verify.output)
        XCTAssertTrue(verify.output.contains(": cannot compare: \(path): the record does not match its checksum"), verify.output)
        XCTAssertTrue(verify.output.contains("verify: 3 identical to their records, 0 different, 1 could not be compared"), verify.output)
    }

    func testARecordOfOtherNumbersIsReportedByVerifyAndRecomputeWithBothValues() throws {
        let records = try computeAndKeepOnlyRecords()
        let path = runs.appendingPathComponent(records[0]).path
        var record = try RunRecord.read(from: path)
        let id = record.runID
        let original = try XCTUnwrap(record.epochs[1].validationMetrics["mse"])
        record.epochs[1].validationMetrics["mse"] = original.nextUp   // an engine change of one ulp, with a valid checksum
        try record.write(to: path)
        let perturbed = try Data(contentsOf: URL(fileURLWithPath: path))

        let verify = try cli(["verify", "ledger", "--all-runs"])
        XCTAssertEqual(verify.status, 1, verify.output)
        XCTAssertTrue(verify.output.contains("\(id)  "), verify.output)
        XCTAssertTrue(verify.output.contains(": differs at epoch 2, validation mse: "
                                             + "recorded \(original.nextUp), recomputed \(original)"), verify.output)
        XCTAssertTrue(verify.output.contains("verify: 3 identical to their records, 1 different"), verify.output)
        let parallel = try cli(["verify", "ledger", "--all-runs", "--jobs", "2"])
        XCTAssertEqual(parallel.status, 1, parallel.output)
        XCTAssertTrue(parallel.output.contains("verifying 4 runs, 2 at a time"), parallel.output)
        XCTAssertTrue(parallel.output.contains("  ledger: \(id)  "), parallel.output)
        XCTAssertTrue(parallel.output.contains("verify: 3 identical to their records, 1 different, 0 could not be compared"), parallel.output)
        // The first epoch alone still matches: a spot check compares only what it recomputed.
        let spot = try cli(["verify", "ledger", "--epochs", "1", "--runs", "1"])
        XCTAssertEqual(spot.status, 0, spot.output)
        XCTAssertTrue(spot.output.contains("identical (1 epoch)"), spot.output)

        let recompute = try cli(["run", "ledger", "--run", id, "--recompute"])
        XCTAssertNotEqual(recompute.status, 0, recompute.output)
        XCTAssertTrue(recompute.output.contains("differs at epoch 2, validation mse"), recompute.output)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), perturbed, "the record is kept")
    }

    func testARecomputeOfARunThatHasOnlyARecordIsBitIdenticalToIt() throws {
        let records = try computeAndKeepOnlyRecords()
        let path = runs.appendingPathComponent(records[1]).path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let id = String(records[1].dropLast(5))
        let recompute = try cli(["run", "ledger", "--run", id, "--recompute"])
        XCTAssertEqual(recompute.status, 0, recompute.output)
        XCTAssertTrue(recompute.output.contains("\(id): identical (3 epochs, ending and final weights)"), recompute.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: runs.appendingPathComponent("\(id).h5").path), "its weights are back")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try RunFile.read(from: runs.appendingPathComponent("\(id).h5").path).status, .complete)
    }

    func testACorruptRecordIsNamedLeftOutAndRecomputed() throws {
        let records = try computeAndKeepOnlyRecords()
        let path = runs.appendingPathComponent(records[2]).path
        try Data("{\"format\": \"rnnlab-run-record\", \"schema_version\": 1, \"record\": 3}".utf8).write(to: URL(fileURLWithPath: path))
        let report = try cli(["report", "ledger"], environment: noData)
        XCTAssertEqual(report.status, 0, report.output)
        XCTAssertTrue(report.output.contains("warning: \(path) is not trusted and is not in the report: \(path): not a run record"), report.output)
        let status = try cli(["status", "ledger"], environment: noData)
        XCTAssertTrue(status.output.contains("4 runs — 3 complete, 1 corrupt"), status.output)

        let run = try cli(["run", "ledger"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("its record was not trusted"), run.output)
        XCTAssertEqual(try files(withSuffix: ".json").count, 4)
        XCTAssertNoThrow(try RunRecord.read(from: path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.contains(".json.corrupt-") }.count, 1,
                       "the unusable record was moved aside, not deleted")
        let check = try cli(["report", "ledger", "--check"], environment: noData)
        XCTAssertEqual(check.status, 0, check.output)
    }

    /// The committed music experiment (smoke profile): a record from before an engine change that altered the
    /// numbers (one ulp of the first epoch's validation NLL, with a valid checksum) is reported by verify.
    func testVerifyOfMusicCellsJSBReportsARecordOfOtherNumbers() throws {
        let mirror = CLI.mirrorPath
        guard FileManager.default.fileExists(atPath: mirror) else { throw XCTSkip("data mirror not found at \(mirror)") }
        let file = CLI.packageDirectory.appendingPathComponent("experiments/music-cells-jsb.yaml").path
        let environment = ["RNNLAB_DATA_MIRROR": mirror]
        let status = try cli(["status", file, "--profile", "smoke", "--results", "r"])
        let id = try XCTUnwrap(status.output.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let run = try cli(["run", file, "--profile", "smoke", "--results", "r", "--run", id], environment: environment)
        XCTAssertEqual(run.status, 0, run.output)
        let same = try cli(["verify", file, "--profile", "smoke", "--results", "r"], environment: environment)
        XCTAssertEqual(same.status, 0, same.output)
        XCTAssertTrue(same.output.contains("\(id)  tanh RNN, 100 units, seed 1: identical (1 epoch, ending and final weights)"), same.output)

        let path = work.appendingPathComponent("r/music-cells-jsb/runs/\(id).json").path
        var record = try RunRecord.read(from: path)
        let nll = try XCTUnwrap(record.epochs[0].validationMetrics["nll"])
        record.epochs[0].validationMetrics["nll"] = nll * (1 + 6e-6)
        try record.write(to: path)
        let verify = try cli(["verify", file, "--profile", "smoke", "--results", "r"], environment: environment)
        XCTAssertEqual(verify.status, 1, verify.output)
        XCTAssertTrue(verify.output.contains("differs at epoch 1, validation nll: recorded \(nll * (1 + 6e-6)), recomputed \(nll)"),
                      verify.output)
    }
}
