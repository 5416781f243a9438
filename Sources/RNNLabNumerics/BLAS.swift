import COpenBLAS
import RealModule
import Synchronization

// The only file that calls OpenBLAS. Everything else goes through `Scalar`'s
// requirements or the `BLAS` namespace below.
//
// Threads: OpenBLAS itself always runs on one thread. `BLAS.setThreads(n)` sizes
// RNNLab's own `ParallelTeam` instead, and large GEMMs are split by rows of C
// between its workers, each calling the one-threaded GEMM on its block. Then the
// recurrent steps (which use the same team) and the GEMMs never have two sets
// of spinning threads competing for the same cores, as OpenBLAS's thread pool
// and the team would.

@inline(__always)
private func transpose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: Scalar {
    @inlinable public static var precisionName: String { "float32" }

    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        BLAS.splitRows(m: m, n: n, k: k) { first, count in
            cblas_sgemm(CblasRowMajor, transpose(transA), transpose(transB),
                        blasint(count), blasint(n), blasint(k), alpha,
                        a + (transA ? first : first * lda), blasint(lda), b, blasint(ldb),
                        beta, c + first * ldc, blasint(ldc))
        }
    }

    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, transpose(trans), blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }

    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    public static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        guard count > 0 else { return 0 }
        return cblas_sdot(blasint(count), x, 1, y, 1)
    }

    public static func scale(count: Int, alpha: Float, x: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        cblas_sscal(blasint(count), alpha, x, 1)
    }
}

extension Double: Scalar {
    @inlinable public static var precisionName: String { "float64" }

    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        BLAS.splitRows(m: m, n: n, k: k) { first, count in
            cblas_dgemm(CblasRowMajor, transpose(transA), transpose(transB),
                        blasint(count), blasint(n), blasint(k), alpha,
                        a + (transA ? first : first * lda), blasint(lda), b, blasint(ldb),
                        beta, c + first * ldc, blasint(ldc))
        }
    }

    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasRowMajor, transpose(trans), blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }

    public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        cblas_daxpy(blasint(count), alpha, x, 1, y, 1)
    }

    public static func dot(count: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        guard count > 0 else { return 0 }
        return cblas_ddot(blasint(count), x, 1, y, 1)
    }

    public static func scale(count: Int, alpha: Double, x: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        cblas_dscal(blasint(count), alpha, x, 1)
    }
}

/// Process-wide facts and settings of the BLAS library.
public enum BLAS {
    /// Sets the number of threads the numerics use for every later call (the
    /// GEMMs and the recurrent steps; OpenBLAS itself stays on one thread).
    ///
    /// Results for a fixed thread count are bit-identical from run to run; a
    /// different count may change the order of floating-point summation.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(1)
        threadCount.store(max(1, count), ordering: .relaxed)
    }

    /// The number of threads the numerics use (until `setThreads`: OpenBLAS's default, the core count).
    public static var threads: Int {
        let count = threadCount.load(ordering: .relaxed)
        if count > 0 { return count }
        let initial = Int(openblas_get_num_threads())
        setThreads(initial)
        return max(1, initial)
    }

    private static let threadCount = Atomic<Int>(0)   // 0: not set yet

    /// Multiply-adds from which a GEMM is split between the threads.
    public static var parallelThreshold: Int { 1 << 18 }

    /// Calls `gemm(first, count)` for blocks of rows of C: one block on this thread,
    /// or one per worker of the team for products of at least `parallelThreshold`
    /// multiply-adds with at least 8 rows per worker. Must not be called from a team job.
    @inline(__always)
    static func splitRows(m: Int, n: Int, k: Int, _ gemm: (_ first: Int, _ count: Int) -> Void) {
        let workers = threads
        guard workers > 1, m >= 8 * workers, m * n * k >= parallelThreshold else {
            gemm(0, m)
            return
        }
        ParallelTeam.shared(size: workers).run { worker, count in
            let rows = ParallelTeam.share(of: m, worker: worker, workers: count)
            if !rows.isEmpty { gemm(rows.lowerBound, rows.count) }
        }
    }

    /// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    public static var configuration: String {
        guard let cString = openblas_get_config() else { return "OpenBLAS (unknown configuration)" }
        return String(cString: cString)
    }

    /// The CPU core type OpenBLAS selected at run time, e.g. "Zen".
    public static var coreName: String {
        guard let cString = openblas_get_corename() else { return "unknown" }
        return String(cString: cString)
    }
}
