import RNNLabNumerics
import XCTest

/// The BLAS wrapper against naive loops, in both precisions and every transpose.
final class BLASTests: XCTestCase {
    func naiveGemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                   _ a: [Double], _ b: [Double], _ c: [Double], alpha: Double, beta: Double) -> [Double] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * m + i] : a[i * k + p]
                    let bv = transB ? b[j * k + p] : b[p * n + j]
                    sum += av * bv
                }
                out[i * n + j] = alpha * sum + beta * c[i * n + j]
            }
        }
        return out
    }

    func check<T: Scalar>(_ type: T.Type, tolerance: Double) {
        var random = RandomStream(seed: 9, stream: "blas")
        let (m, n, k) = (7, 5, 6)
        for transA in [false, true] {
            for transB in [false, true] {
                let a = (0..<(m * k)).map { _ in random.uniform(-1, 1) }
                let b = (0..<(k * n)).map { _ in random.uniform(-1, 1) }
                let c = (0..<(m * n)).map { _ in random.uniform(-1, 1) }
                let expected = naiveGemm(transA, transB, m, n, k, a, b, c, alpha: 0.5, beta: 2)
                let at = Tensor<T>(shape: [a.count], values: a.map { T($0) })
                let bt = Tensor<T>(shape: [b.count], values: b.map { T($0) })
                let ct = Tensor<T>(shape: [c.count], values: c.map { T($0) })
                T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5,
                       a: at.data, lda: transA ? m : k, b: bt.data, ldb: transB ? k : n,
                       beta: 2, c: ct.data, ldc: n)
                for i in 0..<(m * n) {
                    XCTAssertEqual(Double(ct[i]), expected[i], accuracy: tolerance, "\(T.precisionName) transA=\(transA) transB=\(transB)")
                }
            }
        }
        // gemv, axpy, dot, scale
        let a = Tensor<T>(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let x = Tensor<T>(shape: [3], values: [1, 0, -1])
        let y = Tensor<T>(shape: [2], values: [10, 20])
        T.gemv(trans: false, m: 2, n: 3, alpha: 1, a: a.data, lda: 3, x: x.data, beta: 1, y: y.data)
        XCTAssertEqual(y.array, [8, 18])
        let xt = Tensor<T>(shape: [2], values: [1, 1])
        let yt = Tensor<T>(shape: [3], values: [0, 0, 0])
        T.gemv(trans: true, m: 2, n: 3, alpha: 2, a: a.data, lda: 3, x: xt.data, beta: 0, y: yt.data)
        XCTAssertEqual(yt.array, [10, 14, 18])
        T.axpy(count: 3, alpha: 2, x: x.data, y: yt.data)
        XCTAssertEqual(yt.array, [12, 14, 16])
        XCTAssertEqual(T.dot(count: 3, x.data, yt.data), -4)
        T.scale(count: 3, alpha: -0.5, x: yt.data)
        XCTAssertEqual(yt.array, [-6, -7, -8])
    }

    func testFloat() { check(Float.self, tolerance: 1e-5) }
    func testDouble() { check(Double.self, tolerance: 1e-12) }

    func testThreadSettingAndConfiguration() {
        let before = BLAS.threads
        BLAS.setThreads(1)
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.setThreads(before)
        XCTAssertTrue(BLAS.configuration.contains("OpenBLAS"), BLAS.configuration)
    }
}
