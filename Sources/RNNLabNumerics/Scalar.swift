import RealModule

/// A floating-point type the engine computes in: `Float` for training runs,
/// `Double` for gradient checks.
///
/// Everything above the BLAS wrapper is written once, generically over
/// `Scalar`; the dense linear algebra is dispatched to the matching single- or
/// double-precision OpenBLAS routine.
///
/// All matrices are row-major. A matrix argument is a base pointer plus its
/// leading dimension (the distance in elements between two consecutive rows).
public protocol Scalar: BinaryFloatingPoint, Real, Activations, Sendable
where Self.RawSignificand: FixedWidthInteger {
    /// C ← α·op(A)·op(B) + β·C, with op(A) m×k, op(B) k×n and C m×n.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y ← α·op(A)·x + β·y, with A m×n (row-major).
    static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)

    /// y ← α·x + y over `count` contiguous elements.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// Σ xᵢ·yᵢ over `count` contiguous elements.
    static func dot(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self

    /// x ← α·x over `count` contiguous elements.
    static func scale(count: Int, alpha: Self, x: UnsafeMutablePointer<Self>)

    /// A short name for reports ("float32", "float64").
    static var precisionName: String { get }
}
