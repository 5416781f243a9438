import RNNLabNumerics
import RealModule
import XCTest

final class KernelTests: XCTestCase {
    func testSigmoidIsStableAndSymmetric() {
        XCTAssertEqual(Kernels.sigmoid(0.0), 0.5)
        XCTAssertEqual(Kernels.sigmoid(-1000.0), 0)
        XCTAssertEqual(Kernels.sigmoid(1000.0), 1)
        XCTAssertFalse(Kernels.sigmoid(Float(-100)).isNaN)
        for x in stride(from: -20.0, through: 20.0, by: 0.37) {
            XCTAssertEqual(Kernels.sigmoid(x) + Kernels.sigmoid(-x), 1, accuracy: 1e-15)
            XCTAssertEqual(Kernels.sigmoid(x), 1 / (1 + Double.exp(-x)), accuracy: 1e-15)
        }
    }

    func testVectorKernels() {
        let x = Tensor<Double>(shape: [4], values: [-2, -0.5, 0, 3])
        let y = Tensor<Double>(shape: [4])
        Kernels.tanh(x.data, y.data, count: 4)
        for i in 0..<4 { XCTAssertEqual(y[i], Double.tanh(x[i]), accuracy: 1e-15) }
        Kernels.relu(x.data, y.data, count: 4)
        XCTAssertEqual(y.array, [0, 0, 0, 3])
        Kernels.sigmoid(x.data, x.data, count: 4)
        XCTAssertEqual(x[2], 0.5)
    }

    func testLogSumExpAndSoftmax() {
        let x = Tensor<Double>(shape: [3], values: [1000, 1000, 1000])
        XCTAssertEqual(Kernels.logSumExp(x.data, count: 3), 1000 + Double.log(3), accuracy: 1e-9)
        let z = Tensor<Double>(shape: [3], values: [0, Double.log(2), Double.log(5)])
        let p = Tensor<Double>(shape: [3])
        let lse = Kernels.softmax(z.data, p.data, count: 3)
        XCTAssertEqual(lse, Double.log(8), accuracy: 1e-14)
        XCTAssertEqual(p[0], 1.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(p[2], 5.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(Kernels.logSumExp(z.data, count: 0), -.infinity)
    }

    /// The float32 softmax (eight lanes plus a scalar tail) against Double, and its special values.
    func testFloatSoftmaxAgreesWithDouble() {
        var random = RandomStream(seed: 5, stream: "softmax")
        for count in [1, 7, 8, 13, 10_000] {
            let x = Tensor<Float>(shape: [count])
            for i in 0..<count { x[i] = Float(random.uniform(-30, 30)) }
            let d = x.converted(to: Double.self)
            let (pf, pd) = (Tensor<Float>(shape: [count]), Tensor<Double>(shape: [count]))
            let lseF = Kernels.softmax(x.data, pf.data, count: count)
            let lseD = Kernels.softmax(d.data, pd.data, count: count)
            XCTAssertEqual(Double(lseF), lseD, accuracy: 1e-5 * max(1, abs(lseD)))
            for i in 0..<count { XCTAssertEqual(Double(pf[i]), pd[i], accuracy: 1e-6 * max(pd[i], 1e-30) + 1e-12) }
        }
        let special = Tensor<Float>(shape: [9], values: [1, 2, -.infinity, 3, 4, 5, 6, 7, 8])
        let p = Tensor<Float>(shape: [9])
        XCTAssertEqual(Kernels.softmax(special.data, p.data, count: 9), Float(Double.log((1...8).map { Double.exp(Double($0) - 8) }.reduce(0, +)) + 8), accuracy: 1e-5)
        XCTAssertEqual(p[2], 0)
        let infinite = Tensor<Float>(shape: [9], values: [1, 2, .infinity, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(Kernels.softmax(infinite.data, p.data, count: 9), .infinity)
        let nan = Tensor<Float>(shape: [9], values: [1, 2, .nan, 3, 4, 5, 6, 7, 8])
        XCTAssertTrue(Kernels.softmax(nan.data, p.data, count: 9).isNaN)
    }

    func testMatrixHelpers() {
        let m = Tensor<Double>(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let sums = Tensor<Double>(shape: [3], values: [10, 0, 0])
        Kernels.addColumnSums(m.data, rows: 2, cols: 3, ld: 3, into: sums.data)
        XCTAssertEqual(sums.array, [15, 7, 9])
        Kernels.addRowVector(sums.data, to: m.data, rows: 2, cols: 3, ld: 3)
        XCTAssertEqual(m.array, [16, 9, 12, 19, 12, 15])
        let v = Tensor<Float>(shape: [2], values: [3, 4])
        XCTAssertEqual(Kernels.l2Norm(v.data, count: 2), 5)
    }
}

/// The vectorisable float32 activations against libm in Double.
final class ActivationTests: XCTestCase {
    func testFloatActivationsAreAccurateEverywhere() {
        var worstSigmoid = 0.0, worstTanh = 0.0, worstRelativeTanh = 0.0, worstExp = 0.0
        var x: Float = -100
        while x <= 100 {
            let d = Double(x)
            worstSigmoid = max(worstSigmoid, abs(Double(Float.logistic(x)) - 1 / (1 + Double.exp(-d))))
            let tanh = Double.tanh(d)
            worstTanh = max(worstTanh, abs(Double(Float.hyperbolicTangent(x)) - tanh))
            if abs(x) < 1 && x != 0 { worstRelativeTanh = max(worstRelativeTanh, abs(Double(Float.hyperbolicTangent(x)) - tanh) / abs(tanh)) }
            if abs(x) < 80 { worstExp = max(worstExp, abs(Double(Float.vectorExp(x)) - Double.exp(d)) / Double.exp(d)) }
            x += abs(x) < 1 ? 0.000_37 : 0.013
        }
        XCTAssertLessThan(worstSigmoid, 3e-7)
        XCTAssertLessThan(worstTanh, 3e-7)
        XCTAssertLessThan(worstRelativeTanh, 2e-6, "no loss of relative precision near 0")
        XCTAssertLessThan(worstExp, 4e-7, "about 2 ulp")
        XCTAssertEqual(Float.logistic(-1000), 0, accuracy: 1e-30)
        XCTAssertEqual(Float.logistic(1000), 1)
        XCTAssertEqual(Float.hyperbolicTangent(1000), 1)
        XCTAssertEqual(Float.hyperbolicTangent(-1000), -1)
        XCTAssertEqual(Float.hyperbolicTangent(0), 0)
        XCTAssertTrue(Float.logistic(.nan).isNaN, "NaN in, NaN out (and no trap)")
        XCTAssertTrue(Float.hyperbolicTangent(.nan).isNaN)
        XCTAssertTrue(Float.vectorExp(.nan).isNaN)
        // Double keeps libm exactly (the gradient checks depend on it).
        XCTAssertEqual(Double.hyperbolicTangent(0.3), Double.tanh(0.3))
        XCTAssertEqual(Double.logistic(0.3), 1 / (1 + Double.exp(-0.3)))
    }

    /// The eight-lane forms give exactly the scalar results, lane by lane.
    func testEightLaneActivationsEqualScalarOnes() {
        var values: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 0.05, -0.05, 0.049_999, -87.3, 88.7, -100, 100]
        var x: Float = -95
        while x <= 95 { values.append(x); x += abs(x) < 1 ? 0.000_71 : 0.037 }
        while values.count % 8 != 0 { values.append(0.5) }
        for start in stride(from: 0, to: values.count, by: 8) {
            let lanes = Float8(values[start..<(start + 8)])
            let (e, s, t) = (Float.vectorExp(lanes), Float.logistic(lanes), Float.hyperbolicTangent(lanes))
            for k in 0..<8 {
                let v = values[start + k]
                for (lane, scalar) in [(e[k], Float.vectorExp(v)), (s[k], Float.logistic(v)), (t[k], Float.hyperbolicTangent(v))] {
                    if scalar.isNaN { XCTAssertTrue(lane.isNaN, "\(v)") } else { XCTAssertEqual(lane.bitPattern, scalar.bitPattern, "\(v)") }
                }
            }
        }
    }
}
