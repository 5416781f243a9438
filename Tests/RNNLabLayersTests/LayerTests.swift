import RNNLabLayers
import RNNLabNumerics
import RealModule
import XCTest

/// Linear, Embedding, Dropout and the losses: finite-difference gradients and
/// hand-computed values.
final class LayerTests: XCTestCase {
    /// Central-difference derivative of `f` with respect to x[i].
    func numericGradient(_ x: Tensor<Double>, _ i: Int, _ f: () -> Double) -> Double {
        let saved = x[i], eps = 1e-6
        x[i] = saved + eps; let plus = f()
        x[i] = saved - eps; let minus = f()
        x[i] = saved
        return (plus - minus) / (2 * eps)
    }

    func randomTensor(_ shape: [Int], _ random: inout RandomStream) -> Tensor<Double> {
        let t = Tensor<Double>(shape: shape)
        for i in 0..<t.count { t[i] = random.uniform(-1, 1) }
        return t
    }

    func testLinearGradients() {
        var random = RandomStream(seed: 1, stream: "test")
        let linear = Linear<Double>(inputSize: 4, outputSize: 3, name: "decoder")
        XCTAssertEqual(linear.parameters.map(\.name), ["decoder.weight", "decoder.bias"])
        for p in linear.parameters { for i in 0..<p.value.count { p.value[i] = random.uniform(-1, 1) } }
        let x = randomTensor([5, 4], &random), w = randomTensor([5, 3], &random)
        func loss() -> Double { let y = linear.forward(x); return (0..<y.count).reduce(0) { $0 + y[$1] * w[$1] } }
        _ = loss()
        linear.zeroGradients()
        let dx = linear.backward(w).array
        for p in linear.parameters {
            let g = p.gradient.array
            for i in 0..<p.value.count { XCTAssertEqual(g[i], numericGradient(p.value, i, loss), accuracy: 1e-8, p.name) }
        }
        for i in 0..<x.count { XCTAssertEqual(dx[i], numericGradient(x, i, loss), accuracy: 1e-8, "dx") }
        // Known value: y = x·Wᵀ + b for one row.
        let y = linear.forward(x)
        let expected = (0..<4).reduce(linear.bias!.value[1]) { $0 + x[$1] * linear.weight.value[4 + $1] }
        XCTAssertEqual(y[1], expected, accuracy: 1e-12)
    }

    func testEmbeddingGathersAndScattersOnlyUsedRows() {
        let embedding = Embedding<Double>(vocabularySize: 5, dimension: 2)
        XCTAssertEqual(embedding.weight.name, "embedding.weight")
        for i in 0..<10 { embedding.weight.value[i] = Double(i) }
        let y = embedding.forward([3, 0, 3])
        XCTAssertEqual(y.array, [6, 7, 0, 1, 6, 7])
        embedding.zeroGradients()
        embedding.backward(Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(embedding.weight.gradient.array, [3, 4, 0, 0, 0, 0, 6, 8, 0, 0])
    }

    func testInvertedDropout() {
        let dropout = Dropout<Double>(probability: 0.25)
        var random = RandomStream(seed: 5, stream: "dropout")
        let x = Tensor<Double>(shape: [10_000], repeating: 1)
        let y = dropout.forward(x, training: true, random: &random)
        let kept = y.array.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-12 }, "survivors are scaled by 1/(1 − p)")
        XCTAssertEqual(Double(kept.count) / 10_000, 0.75, accuracy: 0.02)
        let mean = y.array.reduce(0, +) / 10_000
        XCTAssertEqual(mean, 1, accuracy: 0.03, "the expectation is preserved")
        let dx = dropout.backward(Tensor(shape: [10_000], repeating: 2))
        for i in 0..<10_000 { XCTAssertEqual(dx[i], 2 * dropout.mask[i]) }
        let evaluation = dropout.forward(x, training: false, random: &random)
        XCTAssertEqual(evaluation.array, x.array)
    }

    func testSoftmaxCrossEntropyValuesAndGradient() {
        let loss = SoftmaxCrossEntropy<Double>(ignoreIndex: -1)
        // Row 0: logits (0, ln 3) → p = (1/4, 3/4), target 1 → −ln(3/4).
        // Row 1: ignored.  Row 2: logits (2, 2) → p = (1/2, 1/2), target 0 → ln 2.
        let logits = Tensor<Double>(shape: [3, 2], values: [0, Double.log(3), 9, -9, 2, 2])
        let value = loss.forward(logits: logits, targets: [1, -1, 0])
        XCTAssertEqual(value, (-Double.log(0.75) + Double.log(2)) / 2, accuracy: 1e-12)
        XCTAssertEqual(loss.targetCount, 2)
        let grad = loss.backward().array
        let expected = [0.25 / 2, -0.25 / 2, 0, 0, -0.5 / 2, 0.5 / 2]
        for (a, b) in zip(grad, expected) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        // Large logits stay finite.
        XCTAssertEqual(loss.forward(logits: Tensor(shape: [1, 2], values: [1000, 0]), targets: [1]), 1000, accuracy: 1e-9)
        // Finite differences on random logits.
        var random = RandomStream(seed: 2, stream: "test")
        let z = randomTensor([4, 5], &random)
        let targets: [Int32] = [0, 4, -1, 2]
        _ = loss.forward(logits: z, targets: targets)
        let g = loss.backward().array
        for i in 0..<z.count {
            XCTAssertEqual(g[i], numericGradient(z, i) { loss.forward(logits: z, targets: targets) }, accuracy: 1e-8)
        }
    }

    func testSigmoidBinaryCrossEntropyValuesAndGradient() {
        let loss = SigmoidBinaryCrossEntropy<Double>()
        // One frame, two keys: z = 0 (p = ½) with y = 1 → ln 2; z = ln 3 (p = ¾) with y = 0 → −ln ¼ = ln 4.
        let value = loss.forward(logits: Tensor(shape: [1, 2], values: [0, Double.log(3)]),
                                 targets: Tensor(shape: [1, 2], values: [1, 0]))
        XCTAssertEqual(value, Double.log(2) + Double.log(4), accuracy: 1e-12, "summed over keys")
        XCTAssertEqual(loss.backward().array[0], -0.5, accuracy: 1e-12)
        XCTAssertEqual(loss.backward().array[1], 0.75, accuracy: 1e-12)
        // Averaged over frames, masked frames left out.
        let z = Tensor<Double>(shape: [3, 2], values: [0, Double.log(3), 5, 5, 0, Double.log(3)])
        let y = Tensor<Double>(shape: [3, 2], values: [1, 0, 1, 1, 1, 0])
        XCTAssertEqual(loss.forward(logits: z, targets: y, rowMask: [true, false, true]),
                       Double.log(2) + Double.log(4), accuracy: 1e-12)
        XCTAssertEqual(loss.forward(logits: Tensor(shape: [1, 1], values: [-800]), targets: Tensor(shape: [1, 1], values: [1])),
                       800, accuracy: 1e-9, "stable for large logits")
        var random = RandomStream(seed: 3, stream: "test")
        let logits = randomTensor([3, 4], &random)
        let targets = Tensor<Double>(shape: [3, 4], values: (0..<12).map { Double($0 % 2) })
        _ = loss.forward(logits: logits, targets: targets, rowMask: [true, true, false])
        let g = loss.backward().array
        for i in 0..<12 {
            XCTAssertEqual(g[i], numericGradient(logits, i) { loss.forward(logits: logits, targets: targets, rowMask: [true, true, false]) },
                           accuracy: 1e-8)
        }
    }

    func testMeanSquaredError() {
        let loss = MeanSquaredError<Double>()
        let x = Tensor<Double>(shape: [2, 2], values: [1, 2, 3, 4])
        let y = Tensor<Double>(shape: [2, 2], values: [1, 0, 0, 4])
        XCTAssertEqual(loss.forward(predictions: x, targets: y), (0 + 4 + 9 + 0) / 4.0)
        XCTAssertEqual(loss.backward().array, [0, 1, 1.5, 0])
    }
}
