import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import XCTest

final class InitializerTests: XCTestCase {
    func statistics(_ initializer: Initializer, rows: Int = 400, cols: Int = 300, bound: Double? = 0.1) -> (mean: Double, variance: Double) {
        var random = RandomStream(seed: 8, stream: "init")
        let t = Tensor<Double>(shape: [rows, cols])
        initializer.fill(t.data, rows: rows, cols: cols, defaultBound: bound, random: &random)
        let values = t.array
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance)
    }

    func assertMoments(_ initializer: Initializer, variance expected: Double, bound: Double? = 0.1,
                       file: StaticString = #filePath, line: UInt = #line) {
        let s = statistics(initializer, bound: bound)
        XCTAssertEqual(s.mean, 0, accuracy: 0.02 * expected.squareRoot(), "mean of \(initializer)", file: file, line: line)
        XCTAssertEqual(s.variance, expected, accuracy: 0.02 * expected, "variance of \(initializer)", file: file, line: line)
    }

    func testVariances() {
        // fan_in = 300, fan_out = 400.
        assertMoments(.pytorchDefault, variance: 0.01 / 3)
        assertMoments(.pytorchDefault, variance: 1, bound: nil)
        assertMoments(.uniform(0.5), variance: 0.25 / 3)
        assertMoments(.normal(0.2), variance: 0.04)
        assertMoments(.xavierUniform(), variance: 2.0 / 700)
        assertMoments(.xavierNormal(gain: 2), variance: 4 * 2.0 / 700)
        assertMoments(.heUniform, variance: 2.0 / 300)
        assertMoments(.heNormal, variance: 2.0 / 300)
    }

    func testOrthogonalAndIdentity() {
        var random = RandomStream(seed: 9, stream: "init")
        for (rows, cols) in [(16, 16), (24, 10), (10, 24)] {
            let t = Tensor<Double>(shape: [rows, cols])
            Initializer.orthogonal(gain: 1).fill(t.data, rows: rows, cols: cols, defaultBound: nil, random: &random)
            // ‖WᵀW − I‖ for tall, ‖WWᵀ − I‖ for wide (max element).
            let k = min(rows, cols)
            var worst = 0.0
            for a in 0..<k {
                for b in 0..<k {
                    var dot = 0.0
                    if rows >= cols { for r in 0..<rows { dot += t[r * cols + a] * t[r * cols + b] } }
                    else { for c in 0..<cols { dot += t[a * cols + c] * t[b * cols + c] } }
                    worst = max(worst, abs(dot - (a == b ? 1 : 0)))
                }
            }
            XCTAssertLessThan(worst, 1e-12, "\(rows)×\(cols)")
        }
        let identity = Tensor<Double>(shape: [3, 3])
        Initializer.identity(scale: 0.5).fill(identity.data, rows: 3, cols: 3, defaultBound: nil, random: &random)
        XCTAssertEqual(identity.array, [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5])
    }

    func testSchemeTargetsEachParameterKindAndTheForgetBias() {
        let model = SequenceModel<Double>(SequenceModelConfiguration(
            input: .embedding(vocabulary: 7, dimension: 4), cell: .lstm, hiddenSize: 5, layers: 2, head: .classPerStep(classes: 7)))
        let scheme = InitializationScheme(embedding: .constant(3), input: .constant(1), recurrent: .identity(scale: 2),
                                          output: .constant(-1), bias: .constant(0.25), forgetGateBias: 1)
        var random = RandomStream(seed: 1, stream: "init")
        scheme.apply(to: model, random: &random)
        func values(_ name: String) -> [Double] { model.parameter(named: name)!.value.array }
        XCTAssertTrue(values("embedding.weight").allSatisfy { $0 == 3 })
        XCTAssertTrue(values("rnn.weight_ih_l1").allSatisfy { $0 == 1 })
        XCTAssertTrue(values("decoder.weight").allSatisfy { $0 == -1 })
        XCTAssertTrue(values("decoder.bias").allSatisfy { $0 == 0.25 })
        // Identity per gate block: each of the 4 blocks of weight_hh is 2·I.
        let hh = values("rnn.weight_hh_l0")
        for gate in 0..<4 { for r in 0..<5 { for c in 0..<5 { XCTAssertEqual(hh[(gate * 5 + r) * 5 + c], r == c ? 2 : 0) } } }
        // Forget block (rows 5..<10): 1 in bias_ih, 0 in bias_hh; other blocks keep 0.25.
        XCTAssertEqual(values("rnn.bias_ih_l0"), (0..<20).map { (5..<10).contains($0) ? 1 : 0.25 })
        XCTAssertEqual(values("rnn.bias_hh_l0"), (0..<20).map { (5..<10).contains($0) ? 0 : 0.25 })
    }
}
