import RNNLabLayers
import RNNLabNumerics
import XCTest

/// minGRU and minLSTM: the blocked parallel scan against the sequential form.
final class ScanTests: XCTestCase {
    /// Runs the probe's forward and backward in the given mode; returns every output and gradient.
    func results<T: Scalar>(_ probe: RecurrentProbe<T>, _ mode: ScanMode) -> [(String, [Double])] {
        probe.network.scanMode = mode
        probe.backward()
        var list: [(String, [Double])] = [("output", probe.network.output.array.map(Double.init)),
                                          ("h_n", probe.network.finalHidden.array.map(Double.init))]
        for d in probe.differentiables { list.append(("∂" + d.name, d.gradient.array.map(Double.init))) }
        return list
    }

    /// max |a − b| / max(max |b|, 1) over each tensor (relative to the tensor's scale).
    func assertClose(_ a: [(String, [Double])], _ b: [(String, [Double])], relative: Double, _ label: String) {
        XCTAssertEqual(a.count, b.count)
        for ((name, x), (_, y)) in zip(a, b) {
            let scale = max(y.map(abs).max() ?? 0, 1)
            let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst / scale, relative, "\(label) \(name): \(worst)")
        }
    }

    /// Double: scan and sequential agree to 1e-12 relative, for sequences of one block step
    /// (T ≤ 8) and of several steps per block (T = 64, 300), padded, both directions, two layers.
    func testScanEqualsSequentialInDouble() {
        for cell in [CellKind.minGRU, .minLSTM] {
            for steps in [2, 7, 64, 300] {
                let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)
                let lengths = [steps, max(1, steps / 2), 1]
                let probe = RecurrentProbe<Double>(config, steps: steps, batch: 3, givenState: true, lengths: lengths)
                let scan = results(probe, .parallel), sequential = results(probe, .sequential)
                assertClose(scan, sequential, relative: 1e-12, "\(cell) T=\(steps)")
            }
        }
    }

    /// Float: scan and sequential agree to 2e-5 relative at T = 300 (the log-space scan and the
    /// linear recurrence round differently; a few float32 ulps per step, not accumulating).
    func testScanEqualsSequentialInFloat() {
        for cell in [CellKind.minGRU, .minLSTM] {
            let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)
            let probe = RecurrentProbe<Float>(config, steps: 300, batch: 3, givenState: true, lengths: [300, 150, 1])
            assertClose(results(probe, .parallel), results(probe, .sequential), relative: 2e-5, "\(cell) float")
        }
    }

    /// Generation: one step at a time from the carried state gives the whole-sequence scan's states.
    func testStepByStepFromTheCarriedStateEqualsTheScan() {
        for cell in [CellKind.minGRU, .minLSTM] {
            let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 5, layers: 2)
            let probe = RecurrentProbe<Double>(config, steps: 40, batch: 2, givenState: true)
            probe.network.scanMode = .parallel
            probe.forward()
            let whole = probe.network.output.array
            let stepper = RecurrentNetwork<Double>(config)
            for (p, q) in zip(stepper.parameters, probe.network.parameters) { p.value.copy(from: q.value) }
            var state = probe.initialHidden
            for t in 0..<40 {
                let x = Tensor<Double>(shape: [1, 2, 3])
                for i in 0..<6 { x[i] = probe.input[t * 6 + i] }
                stepper.forward(x, initialHidden: state)
                for i in 0..<10 { XCTAssertEqual(stepper.output[i], whole[t * 10 + i], accuracy: 1e-12, "\(cell) t=\(t)") }
                state = stepper.finalHidden.clone()
            }
        }
    }

    /// The scan's blocks are cut by T alone, so one and two threads agree to float rounding (the
    /// input GEMM's own split is OpenBLAS's) and a fixed thread count repeats bit for bit.
    func testScanResultsDoNotDependOnTheThreadCount() {
        let before = BLAS.threads
        defer { BLAS.setThreads(before) }
        let config = RecurrentConfiguration(cell: .minLSTM, inputSize: 8, hiddenSize: 32, layers: 2)
        func run(_ threads: Int) -> [[Float]] {
            BLAS.setThreads(threads)
            let probe = RecurrentProbe<Float>(config, steps: 100, batch: 4, givenState: true)
            probe.network.scanMode = .parallel
            probe.backward()
            return probe.network.parameters.map { $0.gradient.array } + [probe.network.output.array]
        }
        let one = run(1), two = run(2)
        XCTAssertEqual(run(2), two, "bit-identical for a fixed thread count")
        for (a, b) in zip(one, two) {
            let scale = max(a.map { abs($0) }.max() ?? 1, 1)
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5 * scale) }
        }
    }
}
