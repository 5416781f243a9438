import Foundation
@testable import RNNLabRunStore
import RNNLabTraining
import XCTest

/// Run records: faithful round trips (non-finite values included), a checksum that catches one edited digit,
/// named errors for files that are not records, downsampled step series and weight digests.
final class RunRecordTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-record-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    /// A finished run file of fixed values, as `status`, with `finalMetrics`.
    private func finishedFile(_ status: RunFile.Status, final: [String: Double]) throws -> RunFile {
        var file = try RunFileLayoutPinTests.fixedRunFile()
        file.status = status
        file.statusDetail = status == .diverged ? "diverged at step 2: non-finite loss" : ""
        file.finalMetrics = final
        file.bestEpoch = 1
        return file
    }

    func testADivergedRunWithInfiniteAndNaNValuesRoundTripsThroughItsFile() throws {
        var file = try finishedFile(.diverged, final: ["loss": 7.5, "perplexity": .infinity])
        file.epochs[0].validationMetrics["perplexity"] = .infinity
        file.epochs[0].testMetrics["perplexity"] = -.infinity
        file.steps[1].loss = .nan
        file.steps[1].gradientNormBefore = .infinity
        let heatMap = HeatMapExample(kind: .attention, number: 1, title: "t", caption: "c", sourceTokens: ["a", "/b"],
                                     outputTokens: ["x"], weights: [[0.25, 0.75]])
        let record = try XCTUnwrap(RunRecord(file, report: .init(baseline: ["loss": 9, "perplexity": .infinity],
                                                                  sample: .init(prime: "é\"", length: 3, temperature: 0.5, text: "a\nb"),
                                                                  heatMaps: [heatMap])))
        XCTAssertEqual(record.status, .diverged)
        let path = temporaryDirectory().path + ".json"
        try record.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"perplexity\":\"inf\""), text)
        XCTAssertTrue(text.contains("\"-inf\"") && text.contains("\"nan\""), text)
        let read = try RunRecord.read(from: path)
        XCTAssertEqual(read.finalMetrics["perplexity"], .infinity)
        XCTAssertEqual(read.epochs[0].testMetrics["perplexity"], -.infinity)
        XCTAssertTrue(read.steps.loss.mean[1].isNaN)
        XCTAssertEqual(read.statusDetail, record.statusDetail)
        XCTAssertEqual(read.report, record.report)
        XCTAssertEqual(read.weights, record.weights)
        XCTAssertEqual(read.configuration, record.configuration)
        XCTAssertEqual(read.state, .diverged("diverged at step 2: non-finite loss"))
        // Writing what was read gives the same bytes: the encoding is canonical.
        XCTAssertEqual(try read.fileData(), try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testACompleteRunWithAnInfinitePerplexityKeepsItsExactDoubles() throws {
        let tiny = 5e-324, third = 1.0 / 3
        let file = try finishedFile(.complete, final: ["loss": third, "perplexity": .infinity, "mse": tiny])
        let record = try XCTUnwrap(RunRecord(file, report: .init()))
        let read = try RunRecord.decode(try record.fileData(), path: "x.json")
        XCTAssertEqual(read.finalMetrics["loss"]?.bitPattern, third.bitPattern)
        XCTAssertEqual(read.finalMetrics["mse"]?.bitPattern, tiny.bitPattern)
        XCTAssertEqual(read.finalMetrics["perplexity"], .infinity)
        XCTAssertEqual(read, record)
        XCTAssertNil(RunRecord(try finishedFile(.running, final: [:]), report: .init()), "a running file has no record")
    }

    func testOneEditedDigitIsACheckedChecksumMismatchNamingTheFile() throws {
        let record = try XCTUnwrap(RunRecord(try finishedFile(.complete, final: ["mse": 0.5]), report: .init()))
        let path = temporaryDirectory().path + ".json"
        try record.write(to: path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: "\"final\":{\"mse\":0.5}"))
        text.replaceSubrange(range, with: "\"final\":{\"mse\":0.4}")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunRecord.read(from: path)) { error in
            guard case .checksumMismatch(let named, _, _) = error as? RunRecordError else { return XCTFail("\(error)") }
            XCTAssertEqual(named, path)
            XCTAssertTrue("\(error)".contains("edited or damaged"), "\(error)")
        }
    }

    func testFilesThatAreNotRecordsAreNamedWithWhatIsWrong() throws {
        let record = try XCTUnwrap(RunRecord(try finishedFile(.complete, final: ["mse": 0.5]), report: .init()))
        let good = String(decoding: try record.fileData(), as: UTF8.self)
        let cases: [(String, (RunRecordError) -> Bool)] = [
            ("not json", { if case .unreadable = $0 { true } else { false } }),
            ("{\"format\": \"something-else\", \"schema_version\": 1}", { if case .unreadable = $0 { true } else { false } }),
            (good.replacingOccurrences(of: "\"schema_version\":1", with: "\"schema_version\":2"),
             { if case .unsupportedVersion(_, 2) = $0 { true } else { false } }),
            (good.replacingOccurrences(of: "\"train_loss\"", with: "\"training_loss\""),
             { if case .unreadable(_, let reason) = $0 { reason.contains("train_loss") } else { false } }),
        ]
        for (text, matches) in cases {
            XCTAssertThrowsError(try RunRecord.decode(Data(text.utf8), path: "runs/x.json")) { error in
                let recordError = error as? RunRecordError
                XCTAssertTrue(recordError.map(matches) ?? false, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix("runs/x.json: "), "\(error)")
            }
        }
    }

    func testARecordInTheStoreMakesItsRunCompleteAndAnUnusableOneIsCorrupt() throws {
        let store = RunStore(results: temporaryDirectory())
        var file = try finishedFile(.complete, final: ["mse": 0.5])
        file.experiment = "x"
        let record = try XCTUnwrap(RunRecord(file, report: .init()))
        XCTAssertEqual(store.state("x", runID: record.runID, configuration: record.configuration), .missing)
        try store.write(record)
        XCTAssertEqual(store.state("x", runID: record.runID, configuration: record.configuration), .complete)
        XCTAssertEqual(store.status("x", runID: record.runID, configuration: record.configuration).finalMetrics, ["mse": 0.5])
        XCTAssertEqual(store.recordedRunIDs("x"), [record.runID])
        try Data("{}".utf8).write(to: URL(fileURLWithPath: store.recordPath("x", record.runID)))
        guard case .corrupt(let reason) = store.state("x", runID: record.runID, configuration: record.configuration) else {
            return XCTFail("an unusable record with no run file is corrupt")
        }
        XCTAssertTrue(reason.contains(store.recordPath("x", record.runID)), reason)
    }

    func testAFinishedRunFileWithoutARecordAwaitsItsRecord() throws {
        let store = RunStore(results: temporaryDirectory())
        var file = try finishedFile(.complete, final: ["mse": 0.5])
        file.experiment = "x"
        try FileManager.default.createDirectory(at: store.runsDirectory("x"), withIntermediateDirectories: true)
        try file.write(to: store.path("x", file.runID))
        let unrecorded = store.status("x", runID: file.runID, configuration: file.configuration)
        XCTAssertEqual(unrecorded.state, .complete)
        XCTAssertTrue(unrecorded.awaitsRecord && unrecorded.needsComputing, "the next run (or Slurm) must record it")
        XCTAssertTrue(unrecorded.detail.contains("not recorded yet"), unrecorded.detail)
        try store.write(try XCTUnwrap(RunRecord(try RunFile.read(from: store.path("x", file.runID)), report: .init())))
        let recorded = store.status("x", runID: file.runID, configuration: file.configuration)
        XCTAssertFalse(recorded.awaitsRecord || recorded.needsComputing)
    }

    func testTheRecordLayoutIsCheckedOnItsStoredBytes() throws {
        let record = try XCTUnwrap(RunRecord(try finishedFile(.complete, final: ["mse": 0.5]), report: .init()))
        let text = String(decoding: try record.fileData(), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("{\"checksum\":\"\(try record.checksum())\",\"format\":\"rnnlab-run-record\",\"schema_version\":1,\"record\":{"), text)
        XCTAssertTrue(text.hasSuffix("}}\n"))
        // The same JSON with its keys in another order is not accepted: the checksum covers the stored bytes.
        let reordered = text.replacingOccurrences(of: "\"format\":\"rnnlab-run-record\",\"schema_version\":1,", with: "")
            .replacingOccurrences(of: "{\"checksum\"", with: "{\"format\":\"rnnlab-run-record\",\"schema_version\":1,\"checksum\"")
        XCTAssertThrowsError(try RunRecord.decode(Data(reordered.utf8), path: "r.json")) { error in
            XCTAssertTrue("\(error)".contains("record layout"), "\(error)")
        }
    }

    func testStepSeriesHaveAtMost512BucketsOfMinMeanMax() {
        let steps = (1...2000).map { StepRecord(step: $0, epoch: 1, loss: Double($0), gradientNormBefore: 1, gradientNormAfter: 1,
                                                 learningRate: 0.1, wallSeconds: 0) }
        let series = StepSeries(steps)
        XCTAssertEqual(series.bucketSize, 4)
        XCTAssertEqual(series.bucketCount, 500)
        XCTAssertEqual(series.loss.minima[0], 1)
        XCTAssertEqual(series.loss.mean[0], 2.5)
        XCTAssertEqual(series.loss.maxima[0], 4)
        XCTAssertEqual(series.firstStep(ofBucket: 499), 1997)
        XCTAssertNil(series.learningRate.min, "a constant series stores only its means")
        XCTAssertNil(series.gradientNormAfter, "no update was clipped: the norm after clipping is the norm before")
        XCTAssertEqual(StepSeries.rounded(1.0 / 3), 0.3333)
        XCTAssertEqual(StepSeries.rounded(123_456.7), 123_500)
        XCTAssertEqual(StepSeries.rounded(.infinity), .infinity)
        var clipped = steps
        clipped[0].gradientNormAfter = 0.5
        XCTAssertEqual(StepSeries(clipped).gradientNormAfter?.minima.first, 0.5)
        XCTAssertEqual(StepSeries(Array(steps.prefix(512))).bucketSize, 1)
        XCTAssertEqual(StepSeries(Array(steps.prefix(513))).bucketCount, 257)
        XCTAssertLessThanOrEqual(StepSeries(Array(steps.prefix(1999))).bucketCount, StepSeries.maximumBuckets)
    }

    func testWeightDigestsChangeWithOneBitAndComparisonsNameTheTensor() throws {
        let file = try finishedFile(.complete, final: ["mse": 0.5])
        let record = try XCTUnwrap(RunRecord(file, report: .init()))
        var changed = file
        changed.finalWeights[1].values[0] = Float(bitPattern: changed.finalWeights[1].values[0].bitPattern ^ 1)
        let other = try XCTUnwrap(RunRecord(changed, report: .init()))
        XCTAssertNotEqual(record.weights.all, other.weights.all)
        XCTAssertEqual(record.weights.parameterCount, 7)
        let comparison = RecordComparison(recorded: record, recomputed: other)
        XCTAssertFalse(comparison.isMatch)
        XCTAssertTrue(comparison.summary.contains("final weights (\(changed.finalWeights[1].name))"), comparison.summary)
        XCTAssertTrue(RecordComparison(recorded: record, recomputed: record).isMatch)
        XCTAssertEqual(RecordComparison(recorded: record, recomputed: record).summary, "identical (1 epoch, ending and final weights)")
    }

    func testComparisonsGiveTheFirstDifferingEpochMetricAndBothValuesOrATolerance() throws {
        let file = try finishedFile(.complete, final: ["mse": 0.5])
        let record = try XCTUnwrap(RunRecord(file, report: .init()))
        var perturbed = record
        perturbed.epochs[0].validationMetrics["mse"] = 0.4000001
        let comparison = RecordComparison(recorded: record, recomputed: perturbed)
        XCTAssertEqual(comparison.difference?.epoch, 1)
        XCTAssertEqual(comparison.summary, "differs at epoch 1, validation mse: recorded 0.4, recomputed 0.4000001")
        let tolerant = RecordComparison(recorded: record, recomputed: perturbed, tolerance: 1e-3)
        XCTAssertTrue(tolerant.isMatch, tolerant.summary)
        XCTAssertTrue(tolerant.summary.hasPrefix("within tolerance 0.001"), tolerant.summary)
        var shorter = record
        shorter.epochs = []
        XCTAssertEqual(RecordComparison(recorded: record, recomputed: shorter).difference?.quantity, "epochs trained")
        // Through epoch 1 of a longer record: the ending is not compared.
        var longer = record
        longer.epochs.append(longer.epochs[0])
        longer.epochs[1].epoch = 2
        let partial = RecordComparison(recorded: longer, recomputed: record, throughEpoch: 1)
        XCTAssertTrue(partial.isMatch && !partial.endingCompared, partial.summary)
        // A diverged record of 1 epoch (it diverged in epoch 2) checked through epoch 1: the recompute stopped
        // there complete, so only the epoch is compared, not the ending.
        var diverged = record
        diverged.status = .diverged
        diverged.statusDetail = "diverged at step 9: non-finite loss"
        let spot = RecordComparison(recorded: diverged, recomputed: record, throughEpoch: 1)
        XCTAssertTrue(spot.isMatch && !spot.endingCompared, spot.summary)
        XCTAssertEqual(RecordComparison(recorded: diverged, recomputed: record).difference?.quantity, "ending")
        var elsewhere = diverged
        elsewhere.statusDetail = "diverged at step 7: non-finite loss"
        XCTAssertEqual(RecordComparison(recorded: diverged, recomputed: elsewhere).difference?.quantity, "divergence")
    }
}
