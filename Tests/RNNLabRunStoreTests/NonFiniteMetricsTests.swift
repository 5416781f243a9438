import Foundation
import RNNLabRunStore
import RNNLabTraining
import XCTest

/// Metrics that overflowed (perplexity = exp(loss) > Double.greatestFiniteMagnitude) or are undefined (nan)
/// are stored as they are: in the JSON of checkpoints and in the run file's HDF5 datasets.
final class NonFiniteMetricsTests: XCTestCase {
    func testNonFiniteDoublesAreTheStringsInfAndNanWithSortedKeys() throws {
        let text = try JSONCoding.text(of: ["d": 1.5, "c": Double.nan, "b": -Double.infinity, "a": Double.infinity])
        XCTAssertEqual(text, #"{"a":"inf","b":"-inf","c":"nan","d":1.5}"#)
        let read = try JSONCoding.value([String: Double].self, from: text)
        XCTAssertEqual(read["a"], .infinity)
        XCTAssertEqual(read["b"], -.infinity)
        XCTAssertEqual(read["c"]?.isNaN, true)
        XCTAssertEqual(read["d"], 1.5)
        // JSON written before (plain numbers) reads unchanged.
        XCTAssertEqual(try JSONCoding.value([Double].self, from: "[0.001, 2, -3.5e-300]"), [0.001, 2, -3.5e-300])
    }

    func testFiniteDoublesAndFloatsRoundTripBitForBit() throws {
        var doubles: [Double] = [0, -0.0, 0.1, 0.1 + 0.2, 1.0 / 3, .pi, 1e23, 8.41e21, 9007199254740993, 2.2250738585072011e-308,
                                 .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, Double.greatestFiniteMagnitude.nextDown, Double(1).nextUp, Double(1).nextDown]
        var floats: [Float] = [0, -0.0, 0.1, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 16777217, Float(1).nextUp]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {   // SplitMix64: every bit pattern is as likely, subnormals and huge exponents included
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        while doubles.count < 20_000 {
            let value = Double(bitPattern: next())
            if value.isFinite { doubles.append(value) }
        }
        while floats.count < 20_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: next()))
            if value.isFinite { floats.append(value) }
        }
        let readDoubles = try JSONCoding.value([Double].self, from: try JSONCoding.text(of: doubles))
        XCTAssertEqual(readDoubles.map(\.bitPattern), doubles.map(\.bitPattern))
        let readFloats = try JSONCoding.value([Float].self, from: try JSONCoding.text(of: floats))
        XCTAssertEqual(readFloats.map(\.bitPattern), floats.map(\.bitPattern))
    }

    func testARunFileCarriesInfiniteAndNaNMetricsInItsCheckpointAndDatasets() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-nonfinite-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("overflow.h5").path
        var written = try RunFileLayoutPinTests.fixedRunFile(checkpoint: true)
        let overflowed: [String: Double] = ["loss": 812.5, "perplexity": .infinity, "below": -.infinity, "undefined": .nan]
        written.epochs[0].validationMetrics = overflowed
        written.epochs[0].testMetrics = overflowed
        written.steps[0].gradientNormBefore = .infinity
        written.steps[1].loss = .nan
        written.outcome?.testMetricsAtBestEpoch = overflowed
        var checkpoint = try XCTUnwrap(written.checkpoint)
        checkpoint.testAtBest = overflowed
        written.checkpoint = checkpoint
        try written.write(to: path)

        let read = try RunFile.read(from: path)
        func assertCarried(_ metrics: [String: Double]?, _ what: String) {
            XCTAssertEqual(metrics?["loss"], 812.5, what)
            XCTAssertEqual(metrics?["perplexity"], .infinity, what)
            XCTAssertEqual(metrics?["below"], -.infinity, what)
            XCTAssertEqual(metrics?["undefined"]?.isNaN, true, what)
        }
        assertCarried(read.checkpoint?.testAtBest, "checkpoint")
        assertCarried(read.epochs.first?.validationMetrics, "validation metrics")
        assertCarried(read.epochs.first?.testMetrics, "test metrics")
        assertCarried(read.finalMetrics, "final metrics")
        XCTAssertEqual(read.steps.first?.gradientNormBefore, .infinity)
        XCTAssertEqual(read.steps.last?.loss.isNaN, true)
        // The rest of the checkpoint is as written.
        XCTAssertEqual(read.checkpoint?.streams, checkpoint.streams)
        XCTAssertEqual(read.checkpoint?.earlyStopping, checkpoint.earlyStopping)
        XCTAssertEqual(read.checkpoint?.trainingSeconds, checkpoint.trainingSeconds)
        XCTAssertEqual(read.checkpoint?.stepCount, checkpoint.stepCount)
    }
}
