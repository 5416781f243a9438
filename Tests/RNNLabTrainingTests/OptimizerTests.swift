import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import XCTest

/// Each optimizer's first two updates against values computed by hand from
/// PyTorch's update rules, for p = (1, −2) with constant gradient g = (0.5, 0.1).
final class OptimizerTests: XCTestCase {
    func run(_ configuration: OptimizerConfiguration, steps: Int = 2, lr: Double? = nil) -> [Double] {
        let p = Parameter<Double>(name: "w", shape: [2])
        p.value[0] = 1; p.value[1] = -2
        let optimizer = Optimizer(configuration, parameters: [p])
        for _ in 0..<steps {
            p.gradient[0] = 0.5; p.gradient[1] = 0.1
            optimizer.step(learningRate: lr ?? configuration.learningRate)
        }
        return p.value.array
    }

    func assertClose(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-12, file: file, line: line) }
    }

    func testPlainSGD() {
        // p ← p − 0.1·g, twice.
        assertClose(run(.sgd(learningRate: 0.1)), [1 - 0.1, -2 - 0.02])
    }

    func testSGDWithWeightDecay() {
        // g' = g + 0.01·p: step 1 p0 = 1 − 0.1(0.5 + 0.01) = 0.949; step 2 p0 = 0.949 − 0.1(0.5 + 0.00949)
        let p0 = 0.949 - 0.1 * (0.5 + 0.00949)
        let p1a = -2 - 0.1 * (0.1 - 0.02), p1 = p1a - 0.1 * (0.1 + 0.01 * p1a)
        assertClose(run(.sgd(learningRate: 0.1, weightDecay: 0.01)), [p0, p1])
    }

    func testSGDMomentumAndNesterov() {
        // buf1 = g, buf2 = 0.9·g + g = 1.9g. Plain: p −= lr·buf. Nesterov: p −= lr·(g + 0.9·buf).
        assertClose(run(.sgd(learningRate: 0.1, momentum: 0.9)), [1 - 0.1 * (0.5 + 0.95), -2 - 0.1 * (0.1 + 0.19)])
        let n0 = 1 - 0.1 * (0.5 + 0.45) - 0.1 * (0.5 + 0.9 * 0.95)
        let n1 = -2 - 0.1 * (0.1 + 0.09) - 0.1 * (0.1 + 0.9 * 0.19)
        assertClose(run(.sgd(learningRate: 0.1, momentum: 0.9, nesterov: true)), [n0, n1])
    }

    func testAdam() {
        // With a constant gradient, m̂ = g and v̂ = g² at every step, so each step moves p by lr·g/(|g| + ε).
        let eps = 1e-8
        let step0 = 0.01 * 0.5 / (0.5 + eps), step1 = 0.01 * 0.1 / (0.1 + eps)
        assertClose(run(.adam(learningRate: 0.01)), [1 - 2 * step0, -2 - 2 * step1])
        // One step by the formula with explicit bias corrections.
        let m = 0.1 * 0.5, v = 0.001 * 0.25
        let expected = 1 - 0.01 / 0.1 * m / ((v).squareRoot() / (0.001).squareRoot() + eps)
        XCTAssertEqual(run(.adam(learningRate: 0.01), steps: 1)[0], expected, accuracy: 1e-12)
    }

    func testRMSProp() {
        // s1 = 0.01·g²; p −= lr·g/(√s1 + ε); s2 = 0.99·s1 + 0.01·g²
        let eps = 1e-8
        func expected(_ p: Double, _ g: Double) -> Double {
            let s1 = 0.01 * g * g, s2 = 0.99 * s1 + 0.01 * g * g
            return p - 0.01 * g / (s1.squareRoot() + eps) - 0.01 * g / (s2.squareRoot() + eps)
        }
        assertClose(run(.rmsprop(learningRate: 0.01)), [expected(1, 0.5), expected(-2, 0.1)])
        // With momentum 0.5: buf1 = g/a1, buf2 = 0.5·buf1 + g/a2.
        func withMomentum(_ p: Double, _ g: Double) -> Double {
            let s1 = 0.01 * g * g, s2 = 0.99 * s1 + 0.01 * g * g
            let b1 = g / (s1.squareRoot() + eps), b2 = 0.5 * b1 + g / (s2.squareRoot() + eps)
            return p - 0.01 * b1 - 0.01 * b2
        }
        assertClose(run(.rmsprop(learningRate: 0.01, momentum: 0.5)), [withMomentum(1, 0.5), withMomentum(-2, 0.1)])
    }

    func testAdagrad() {
        // s1 = g², s2 = 2g²: p −= lr·g/|g| then lr·g/(√2|g|)
        let eps = 1e-10
        func expected(_ p: Double, _ g: Double) -> Double {
            p - 0.1 * g / ((g * g).squareRoot() + eps) - 0.1 * g / ((2 * g * g).squareRoot() + eps)
        }
        assertClose(run(.adagrad(learningRate: 0.1)), [expected(1, 0.5), expected(-2, 0.1)])
    }

    func testStateIsNamedForCheckpoints() {
        let p = Parameter<Float>(name: "decoder.weight", shape: [3])
        XCTAssertEqual(Optimizer(.adam(), parameters: [p]).state.map(\.name),
                       ["decoder.weight.exp_avg", "decoder.weight.exp_avg_sq"])
        XCTAssertEqual(Optimizer(.sgd(learningRate: 1), parameters: [p]).state.count, 0)
    }
}

final class ScheduleAndStoppingTests: XCTestCase {
    func testStepDecayAsZaremba() {
        var s = LearningRateScheduler(.stepDecay(afterEpoch: 4, factor: 0.5), baseRate: 1)
        let rates = (1...7).map { epoch -> Double in s.beginEpoch(epoch); return s.rate }
        XCTAssertEqual(rates, [1, 1, 1, 1, 0.5, 0.25, 0.125])
    }

    func testReduceOnPlateau() {
        var s = LearningRateScheduler(.reduceOnPlateau(factor: 0.1, patience: 1), baseRate: 1)
        var rates: [Double] = []
        for metric in [5.0, 4.0, 4.0, 4.0, 3.0, 3.5, 3.5] {
            s.endEpoch(validationMetric: metric)
            rates.append(s.rate)
        }
        // Two epochs without improvement (> patience 1) reduce the rate once.
        XCTAssertEqual(rates, [1, 1, 1, 0.1, 0.1, 0.1, 0.010000000000000002])
    }

    func testEarlyStopping() {
        var stopping = EarlyStopping(patience: 2)
        XCTAssertTrue(stopping.record(epoch: 1, validationMetric: 3))
        XCTAssertTrue(stopping.record(epoch: 2, validationMetric: 2))
        XCTAssertFalse(stopping.record(epoch: 3, validationMetric: 2.5))
        XCTAssertFalse(stopping.shouldStop)
        XCTAssertFalse(stopping.record(epoch: 4, validationMetric: .nan))
        XCTAssertTrue(stopping.shouldStop)
        XCTAssertEqual(stopping.bestEpoch, 2)
        XCTAssertEqual(stopping.bestMetric, 2)
    }
}

final class ClippingTests: XCTestCase {
    func parameters() -> [Parameter<Double>] {
        let a = Parameter<Double>(name: "a", shape: [2]), b = Parameter<Double>(name: "b", shape: [1])
        a.gradient[0] = 3; a.gradient[1] = 4; b.gradient[0] = -12   // ‖a‖ = 5, ‖b‖ = 12, global 13
        return [a, b]
    }

    func testNone() {
        let ps = parameters()
        let norms = GradientClipping.none.apply(to: ps)
        XCTAssertEqual(norms.before, 13); XCTAssertEqual(norms.after, 13)
        XCTAssertEqual(ps[0].gradient.array + ps[1].gradient.array, [3, 4, -12])
    }

    func testGlobalNorm() {
        let ps = parameters()
        let norms = GradientClipping.globalNorm(6.5).apply(to: ps)
        XCTAssertEqual(norms.before, 13)
        XCTAssertEqual(norms.after, 6.5, accuracy: 1e-12)
        XCTAssertEqual(ps[0].gradient.array + ps[1].gradient.array, [1.5, 2, -6])
        // Below the threshold nothing changes.
        let untouched = parameters()
        XCTAssertEqual(GradientClipping.globalNorm(20).apply(to: untouched).after, 13)
    }

    func testPerTensorNorm() {
        let ps = parameters()
        let norms = GradientClipping.perTensorNorm(6).apply(to: ps)
        // a (norm 5) is untouched, b (norm 12) is scaled to 6: a different result from global-norm clipping.
        XCTAssertEqual(ps[0].gradient.array, [3, 4])
        XCTAssertEqual(ps[1].gradient.array, [-6])
        XCTAssertEqual(norms.after, (25.0 + 36).squareRoot(), accuracy: 1e-12)
    }

    func testValue() {
        let ps = parameters()
        GradientClipping.value(3.5).apply(to: ps)
        XCTAssertEqual(ps[0].gradient.array + ps[1].gradient.array, [3, 3.5, -3.5])
    }
}
