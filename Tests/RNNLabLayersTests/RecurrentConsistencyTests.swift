import RNNLabLayers
import RNNLabNumerics
import XCTest

/// Padded batches against per-sequence runs, and Float against Double.
final class RecurrentConsistencyTests: XCTestCase {
    /// Runs each row of a padded batch alone (truncated to its length) and
    /// compares outputs, final states and gradients with the batched run.
    func testPaddedBatchEqualsPerSequenceResults() {
        for cell in CellKind.allCases {
            let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)
            let lengths = [6, 3, 1, 5]
            let batched = RecurrentProbe<Double>(config, steps: 6, batch: 4, givenState: true, lengths: lengths)
            batched.backward()
            let D = 2, H = 5, L = 2, B = 4, I = 3
            for (row, length) in lengths.enumerated() {
                let single = RecurrentNetwork<Double>(config)
                for (p, q) in zip(single.parameters, batched.network.parameters) { p.value.copy(from: q.value) }
                let x = Tensor<Double>(shape: [length, 1, I])
                for t in 0..<length { for i in 0..<I { x[t * I + i] = batched.input[(t * B + row) * I + i] } }
                func stateRow(_ s: Tensor<Double>?) -> Tensor<Double>? {
                    guard let s else { return nil }
                    let r = Tensor<Double>(shape: [L * D, 1, H])
                    for k in 0..<(L * D) { for j in 0..<H { r[k * H + j] = s[(k * B + row) * H + j] } }
                    return r
                }
                single.forward(x, initialHidden: stateRow(batched.initialHidden), initialCell: stateRow(batched.initialCell))
                for t in 0..<6 {
                    for j in 0..<(D * H) {
                        let b = batched.network.output[(t * B + row) * D * H + j]
                        let expected = t < length ? single.output[t * D * H + j] : 0
                        XCTAssertEqual(b, expected, accuracy: 1e-12, "\(cell) row \(row) t \(t) output[\(j)]")
                    }
                }
                for k in 0..<(L * D) {
                    for j in 0..<H {
                        XCTAssertEqual(batched.network.finalHidden[(k * B + row) * H + j], single.finalHidden[k * H + j],
                                       accuracy: 1e-12, "\(cell) row \(row) h_n")
                    }
                }
            }
        }
    }

    /// Gradients of a padded batch do not depend on what is in the padding.
    func testPaddingContentsDoNotMatter() {
        let config = RecurrentConfiguration(cell: .lstm, inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true)
        let probe = RecurrentProbe<Double>(config, steps: 5, batch: 2, givenState: true, lengths: [5, 2])
        probe.backward()
        let before = probe.network.parameters.map { $0.gradient.array }
        let output = probe.network.output.array
        for t in 2..<5 { for i in 0..<3 { probe.input[(t * 2 + 1) * 3 + i] = 1000 } }
        probe.backward()
        XCTAssertEqual(probe.network.output.array, output)
        for (a, b) in zip(before, probe.network.parameters.map { $0.gradient.array }) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-12) }
        }
    }

    /// Runs the same configuration (same seeds) in Double and Float: the Float values are the
    /// Double values rounded, gradients agree within 1e-4 and outputs within `outputTolerance`.
    func assertFloatAgreesWithDouble(_ config: RecurrentConfiguration, steps: Int, lengths: [Int],
                                     outputTolerance: Double, _ label: String) {
        let double = RecurrentProbe<Double>(config, steps: steps, batch: lengths.count, givenState: true, lengths: lengths)
        let float = RecurrentProbe<Float>(config, steps: steps, batch: lengths.count, givenState: true, lengths: lengths)
        double.backward()
        float.backward()
        for (d, f) in zip(double.differentiables, float.differentiables) {
            XCTAssertEqual(d.name, f.name)
            for i in 0..<d.value.count { XCTAssertEqual(Double(f.value[i]), d.value[i], accuracy: 1e-7) }
            let worst = (0..<d.gradient.count).map { abs(Double(f.gradient[$0]) - d.gradient[$0]) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4, "\(label) ∂\(d.name)")
        }
        let worstOutput = (0..<double.network.output.count)
            .map { abs(Double(float.network.output[$0]) - double.network.output[$0]) }.max() ?? 0
        XCTAssertLessThan(worstOutput, outputTolerance, "\(label) output")
    }

    /// The same weights in Float and Double give outputs and gradients within 1e-4.
    /// What the recurrent layers keep between forward and backward, element by
    /// element: per sweep the gates [T·B, G·H], the states [(T+1)·B, H], the LSTM's
    /// cell states or the GRU's W_hn h + b_hn [T·B, H], one step's recurrent
    /// product [B, G·H] and four [B, H] state gradients; no tanh(c') of the LSTM
    /// (recomputed), no second [T·B, G·H] gradient buffer of the GRU, and no copy
    /// of a one-direction layer's states as its output.
    /// The scan cells keep the gates [T·B, G·H], the states, the scan's coefficients [T·B, 2H],
    /// its block carries [2C, B·H] (C = 6 blocks of one step here) and ∂L/∂h0 [B, H].
    func testStoredActivationsAreTheNecessaryOnes() {
        let (T, B, H, I) = (6, 3, 8, 5)
        func perSweep(_ cell: CellKind) -> Int {
            let G = cell.gateCount
            if cell.recurrence == .none {
                return T * B * G * H + (T + 1) * B * H + T * B * 2 * H + 2 * T * B * H + B * H
            }
            let extra = cell.hasCellState ? (T + 1) * B * H : cell == .gru ? T * B * H : 0
            return T * B * G * H + (T + 1) * B * H + extra + B * G * H + 4 * B * H
        }
        for cell in CellKind.allCases {
            for bidirectional in [false, true] {
                for lengths in [nil, [6, 2, 4]] as [[Int]?] {
                    let config = RecurrentConfiguration(cell: cell, inputSize: I, hiddenSize: H, layers: 2,
                                                        bidirectional: bidirectional)
                    let probe = RecurrentProbe<Float>(config, steps: T, batch: B, givenState: true, lengths: lengths)
                    probe.backward()
                    let D = config.directions
                    let copiesOutputs = D > 1 || lengths != nil
                    let expected = 2 * D * perSweep(cell)
                        + (copiesOutputs ? 2 * T * B * D * H : 0)   // the layer outputs, when they are copies
                        + T * B * D * H                            // ∂L/∂(input of layer 1)
                    XCTAssertEqual(probe.network.storedElementCount, expected,
                                   "\(cell), \(D) direction(s), lengths \(String(describing: lengths))")
                }
            }
        }
    }

    func testFloatAndDoubleAgree() {
        for cell in CellKind.allCases {
            let config = RecurrentConfiguration(cell: cell, inputSize: 6, hiddenSize: 8, layers: 2, bidirectional: true)
            assertFloatAgreesWithDouble(config, steps: 10, lengths: [10, 7, 3], outputTolerance: 1e-4, "\(cell)")
        }
    }

    /// The float32 cell kernels (eight-lane loops plus a scalar tail for H mod 8)
    /// against Double, for hidden sizes below, at and past a multiple of 8.
    func testFloatLaneKernelsAgreeWithDoubleForEveryHiddenSize() {
        for cell in CellKind.allCases {
            for hidden in [3, 16, 19] {
                let config = RecurrentConfiguration(cell: cell, inputSize: 5, hiddenSize: hidden, layers: 1, bidirectional: true)
                assertFloatAgreesWithDouble(config, steps: 7, lengths: [7, 4], outputTolerance: 1e-5, "\(cell) H=\(hidden)")
            }
        }
    }

    /// One-hot inputs through the gather/scatter path give what the general path gives.
    func testOneHotPathEqualsGeneralPath() {
        for cell in CellKind.allCases {
            let config = RecurrentConfiguration(cell: cell, inputSize: 6, hiddenSize: 5, layers: 2)
            let (steps, batch) = (4, 3)
            var random = RandomStream(seed: 11, stream: "one-hot")
            let ids: [Int32] = (0..<(steps * batch)).map { $0 == 4 ? -1 : Int32(random.index(below: 6)) }
            let x = Tensor<Double>(shape: [steps, batch, 6])
            for (n, id) in ids.enumerated() where id >= 0 { x[n * 6 + Int(id)] = 1 }
            let dy = Tensor<Double>(shape: [steps, batch, 5])
            for i in 0..<dy.count { dy[i] = random.uniform(-1, 1) }
            let (general, gathered) = (RecurrentNetwork<Double>(config), RecurrentNetwork<Double>(config))
            general.resetParameters(random: &random)
            for (p, q) in zip(gathered.parameters, general.parameters) { p.value.copy(from: q.value) }
            general.forward(x, random: &random)
            gathered.forward(x, oneHotIndices: ids, random: &random)
            XCTAssertEqual(gathered.output.array, general.output.array, "\(cell): the same sums")
            general.backward(outputGradient: dy)
            gathered.backward(outputGradient: dy)
            for (p, q) in zip(gathered.parameters, general.parameters) {
                for i in 0..<p.gradient.count { XCTAssertEqual(p.gradient[i], q.gradient[i], accuracy: 1e-13, "\(cell) ∂\(p.name)") }
            }
            for i in 0..<x.count { XCTAssertEqual(gathered.inputGradient[i], general.inputGradient[i], accuracy: 1e-13) }
        }
    }

    /// Float32 results with one and with two BLAS threads agree to float rounding, and
    /// repeat bit for bit for a fixed thread count (per-step GEMMs of 32 × 256 × 64,
    /// 2¹⁹ multiply-adds, so that OpenBLAS has work to split).
    func testResultsDoNotDependOnTheThreadCount() {
        let before = BLAS.threads
        defer { BLAS.setThreads(before) }
        let config = RecurrentConfiguration(cell: .lstm, inputSize: 48, hiddenSize: 64, layers: 2)
        func run(threads: Int) -> [[Float]] {
            BLAS.setThreads(threads)
            let probe = RecurrentProbe<Float>(config, steps: 6, batch: 32, givenState: true)
            probe.backward()
            return probe.network.parameters.map { $0.gradient.array } + [probe.network.output.array]
        }
        let one = run(threads: 1), two = run(threads: 2)
        XCTAssertEqual(run(threads: 2), two, "bit-identical for a fixed thread count")
        for (a, b) in zip(one, two) {
            let scale = a.map { abs($0) }.max() ?? 1
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5 * max(scale, 1)) }
        }
    }

    /// Two forward/backward passes with the same inputs give bit-identical results.
    func testRepeatedPassesAreBitIdentical() {
        let config = RecurrentConfiguration(cell: .gru, inputSize: 4, hiddenSize: 16, layers: 2, bidirectional: true, dropout: 0.3)
        let probe = RecurrentProbe<Float>(config, steps: 12, batch: 5, givenState: true, dropoutSeed: 3)
        probe.backward()
        let first = probe.network.parameters.map { $0.gradient.array } + [probe.network.output.array]
        probe.backward()
        let second = probe.network.parameters.map { $0.gradient.array } + [probe.network.output.array]
        XCTAssertEqual(first, second)
    }
}
