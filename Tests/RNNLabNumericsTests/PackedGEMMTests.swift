import RNNLabNumerics
import XCTest

/// The packed-weight product against a Double reference, for shapes with partial
/// panels and row blocks, leading dimensions wider than the matrices, both packing
/// orientations, and one against several threads.
final class PackedGEMMTests: XCTestCase {
    /// (m, n, k): 16-column panels and 4-row blocks, full and partial.
    let shapes = [(1, 1, 1), (3, 5, 7), (4, 16, 8), (5, 17, 3), (16, 256, 64), (13, 47, 29), (64, 96, 33), (2, 130, 300), (21, 203, 80)]

    /// Random A [m, lda], W and C; returns C + A·B from the packed matrix and from Double sums.
    func product<T: Scalar>(_ type: T.Type, m: Int, n: Int, k: Int, transposed: Bool, threads: Int,
                            seed: UInt64) -> (packed: [T], reference: [Double], isPacked: Bool) {
        var random = RandomStream(seed: seed, stream: "packed-gemm")
        let lda = k + 3, ldc = n + 2
        let ldw = transposed ? k + 1 : n + 5             // W [n, k] (B = Wᵀ) or W [k, n] (B = W)
        let wRows = transposed ? n : k
        let a = Tensor<T>(shape: [m * lda], values: (0..<(m * lda)).map { _ in T(random.uniform(-1, 1)) })
        let w = Tensor<T>(shape: [wRows * ldw], values: (0..<(wRows * ldw)).map { _ in T(random.uniform(-1, 1)) })
        let c = Tensor<T>(shape: [m * ldc], values: (0..<(m * ldc)).map { _ in T(random.uniform(-1, 1)) })
        var reference = (0..<(m * ldc)).map { Double(c[$0]) }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let b = transposed ? w[j * ldw + p] : w[p * ldw + j]
                    sum += Double(a[i * lda + p]) * Double(b)
                }
                reference[i * ldc + j] += sum
            }
        }
        let packed = PackedMatrix<T>()
        if transposed {
            packed.pack(transposing: w.data, rows: n, columns: k, ld: ldw)
        } else {
            packed.pack(w.data, rows: k, columns: n, ld: ldw)
        }
        packed.multiplyAccumulate(m: m, a: a.data, lda: lda, c: c.data, ldc: ldc,
                                  team: threads > 1 ? ParallelTeam.shared(size: threads) : nil)
        return ((0..<(m * ldc)).map { c[$0] }, reference, packed.isPacked)
    }

    func check<T: Scalar>(_ type: T.Type, tolerance: Double) {
        for (index, (m, n, k)) in shapes.enumerated() {
            for transposed in [false, true] {
                let (result, reference, _) = product(T.self, m: m, n: n, k: k, transposed: transposed, threads: 1,
                                                     seed: UInt64(index))
                for i in 0..<result.count {
                    // Columns past n (the padding of ldc) must be untouched: they are in `reference` unchanged.
                    XCTAssertEqual(Double(result[i]), reference[i], accuracy: tolerance * Double(k),
                                   "\(T.precisionName) m=\(m) n=\(n) k=\(k) transposed=\(transposed) element \(i)")
                }
            }
        }
    }

    func testFloatMatchesDoubleSums() { check(Float.self, tolerance: 1e-6) }
    func testDoubleMatchesDoubleSums() { check(Double.self, tolerance: 1e-13) }

    /// Splitting the panels between threads does not change a single bit (the last three shapes
    /// are above the threshold from which products are split).
    func testThreadCountDoesNotChangeTheBits() {
        for (index, (m, n, k)) in shapes.enumerated() {
            let one = product(Float.self, m: m, n: n, k: k, transposed: true, threads: 1, seed: UInt64(40 + index))
            for threads in [2, 3] {
                let more = product(Float.self, m: m, n: n, k: k, transposed: true, threads: threads,
                                   seed: UInt64(40 + index))
                XCTAssertEqual(one.packed.map(\.bitPattern), more.packed.map(\.bitPattern),
                               "m=\(m) n=\(n) k=\(k) threads=\(threads)")
            }
        }
    }

    /// On a CPU with FMA (the build defines RNNLAB_FMA) Float32 products are packed; Double never is.
    func testWhichTypesArePacked() {
        XCTAssertFalse(PackedMatrix<Double>().isPacked)
        #if RNNLAB_FMA
        XCTAssertTrue(PackedMatrix<Float>().isPacked)
        #endif
    }
}
