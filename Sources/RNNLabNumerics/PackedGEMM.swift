/// A weight matrix packed once for many small products C += A·B.
///
/// The per-step recurrent products of an RNN multiply a few rows (the batch)
/// by the same weight matrix T times in a row. A BLAS GEMM packs its B operand
/// again on every call, and for a batch of 16 that copy costs about as much as
/// the arithmetic. `PackedMatrix` packs B once (per forward or backward sweep)
/// and multiplies straight from the packed panels.
///
/// Layout: B [K, N] is cut into panels of 16 columns; panel q holds, for each
/// k in 0..<K, the 16 values B[k, 16q ..< 16q + 16] contiguously (zeros past N).
///
/// Float32 uses an eight-lane kernel (4 rows × 16 columns of C in eight
/// SIMD8 accumulators, one fused multiply-add per lane and k); every element of
/// C is the same sum in the same order whatever the thread count, so results
/// are bit-identical between one and two threads. Other scalar types keep the
/// matrix unpacked and call `gemm`.
public final class PackedMatrix<T: Scalar> {
    /// Panel width: two SIMD8 registers.
    public static var panelWidth: Int { 16 }

    private var storage = UnsafeMutablePointer<T>.allocate(capacity: 0)
    private var capacity = 0
    /// For types without a packed kernel: the matrix as given.
    private var source: UnsafePointer<T>?
    private var sourceTransposed = false
    private var sourceLeading = 0
    public private(set) var rows = 0      // K
    public private(set) var columns = 0   // N

    public init() {}
    deinit { storage.deallocate() }

    /// Whether this build packs: Float32, compiled for a CPU with fused multiply-add
    /// (`RNNLAB_FMA`, set by Package.swift). Elsewhere the lanes' fused
    /// multiply-adds would be library calls, and `gemm` is faster.
    private var packs: Bool {
        #if RNNLAB_FMA
        return T.self == Float.self
        #else
        return false
        #endif
    }

    /// Whether products are computed from packed panels in this build (Float32 with FMA).
    public var isPacked: Bool { packs }

    private func reserve(_ count: Int) {
        guard count > capacity else { return }
        storage.deallocate()
        storage = UnsafeMutablePointer<T>.allocate(capacity: count)
        capacity = count
    }

    /// Records B [K, N] = W or Wᵀ (for the unpacked fallback) and, when this build
    /// packs, reserves its panels: returns their number, or nil when nothing is to be packed.
    private func begin(_ w: UnsafePointer<T>, transposed: Bool, ld: Int, k: Int, n: Int) -> Int? {
        rows = k; columns = n
        source = w; sourceTransposed = transposed; sourceLeading = ld
        guard packs else { return nil }
        let panels = (n + Self.panelWidth - 1) / Self.panelWidth
        reserve(panels * Self.panelWidth * k)
        return panels
    }

    /// Packs B = Wᵀ for a row-major W [N, K] with leading dimension `ld`.
    ///
    /// (`C += A·Wᵀ`, as in h·W_hhᵀ with W_hh [G·H, H].) `w` must stay
    /// unchanged and alive while this packing is used (it is read directly
    /// by the unpacked fallback).
    public func pack(transposing w: UnsafePointer<T>, rows n: Int, columns k: Int, ld: Int) {
        guard let panels = begin(w, transposed: true, ld: ld, k: k, n: n) else { return }
        let width = Self.panelWidth
        for q in 0..<panels {
            let panel = storage + q * k * width
            for j in 0..<width {
                let column = q * width + j
                if column < n {
                    let row = w + column * ld
                    for p in 0..<k { panel[p * width + j] = row[p] }
                } else {
                    for p in 0..<k { panel[p * width + j] = 0 }
                }
            }
        }
    }

    /// Packs B = W for a row-major W [K, N] with leading dimension `ld`.
    ///
    /// (`C += A·W`, as in ∂h_prev += ∂a·W_hh.) The same lifetime rule as
    /// `pack(transposing:)` applies.
    public func pack(_ w: UnsafePointer<T>, rows k: Int, columns n: Int, ld: Int) {
        guard let panels = begin(w, transposed: false, ld: ld, k: k, n: n) else { return }
        let width = Self.panelWidth
        for q in 0..<panels {
            let panel = storage + q * k * width
            let first = q * width, count = min(width, n - first)
            for p in 0..<k {
                let from = w + p * ld + first, to = panel + p * width
                to.update(from: from, count: count)
                (to + count).update(repeating: 0, count: width - count)
            }
        }
    }

    /// Multiply-adds from which a product is worth splitting between threads.
    public static var parallelThreshold: Int { 1 << 16 }

    /// C [M, N] += A [M, K] · B, with B the packed matrix.
    ///
    /// With a `team`, products of at least `parallelThreshold` multiply-adds
    /// are split by column panels between its workers (the sums do not change).
    public func multiplyAccumulate(
        m: Int, a: UnsafePointer<T>, lda: Int, c: UnsafeMutablePointer<T>, ldc: Int, team: ParallelTeam? = nil
    ) {
        guard m > 0, columns > 0 else { return }
        guard packs else {
            guard let source else { preconditionFailure("PackedMatrix used before pack") }
            T.gemm(transA: false, transB: sourceTransposed, m: m, n: columns, k: rows,
                   alpha: 1, a: a, lda: lda, b: source, ldb: sourceLeading,
                   beta: 1, c: c, ldc: ldc)
            return
        }
        let floatA = UnsafeRawPointer(a).assumingMemoryBound(to: Float.self)
        let floatC = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)
        let packed = UnsafeRawPointer(storage).assumingMemoryBound(to: Float.self)
        let panels = (columns + Self.panelWidth - 1) / Self.panelWidth
        let work = FloatPanelProduct(m: m, k: rows, n: columns, a: floatA, lda: lda, packed: packed, c: floatC, ldc: ldc)
        if let team, team.size > 1, m * columns * rows >= Self.parallelThreshold {
            team.run { worker, workers in
                work.run(panels: ParallelTeam.share(of: panels, worker: worker, workers: workers))
            }
            return
        }
        work.run(panels: 0..<panels)
    }
}

/// One product C += A·B over a range of B's packed panels (Float32).
/// The pointers are only read (A, B) or written in disjoint column ranges (C),
/// so workers may share it.
private struct FloatPanelProduct: @unchecked Sendable {
    let m: Int, k: Int, n: Int
    let a: UnsafePointer<Float>, lda: Int
    let packed: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>, ldc: Int

    func run(panels: Range<Int>) {
        let width = 16
        // A partial last panel is computed into `scratch` [4, 16] and its valid columns added to C.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * width) { buffer in
            guard let scratch = buffer.baseAddress else { return }
            for q in panels {
                let b = packed + q * k * width
                let first = q * width, count = min(width, n - first)
                var i = 0
                while i < m {
                    let r = min(4, m - i)
                    if count == width {
                        Self.kernel(rows: r, k: k, a: a + i * lda, lda: lda, b: b, c: c + i * ldc + first, ldc: ldc)
                    } else {
                        scratch.update(repeating: 0, count: 4 * width)
                        Self.kernel(rows: r, k: k, a: a + i * lda, lda: lda, b: b, c: scratch, ldc: width)
                        for row in 0..<r {
                            let to = c + (i + row) * ldc + first, from = scratch + row * width
                            for j in 0..<count { to[j] += from[j] }
                        }
                    }
                    i += r
                }
            }
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func add(_ v: SIMD8<Float>, to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) + v,
                                              as: SIMD8<Float>.self)
    }

    /// C [rows ≤ 4, 16] += A [rows, k] · panel [k, 16]: eight SIMD8 accumulators,
    /// one broadcast of A[r, p] per row and k. Rows past `rows` read row 0 and are not stored.
    @inline(__always)
    private static func kernel(rows: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                               b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let a0 = a, a1 = rows > 1 ? a + lda : a, a2 = rows > 2 ? a + 2 * lda : a, a3 = rows > 3 ? a + 3 * lda : a
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var bp = b
        for p in 0..<k {
            let b0 = load(bp), b1 = load(bp + 8)
            let x0 = SIMD8<Float>(repeating: a0[p]); c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1)
            let x1 = SIMD8<Float>(repeating: a1[p]); c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1)
            let x2 = SIMD8<Float>(repeating: a2[p]); c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1)
            let x3 = SIMD8<Float>(repeating: a3[p]); c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1)
            bp += 16
        }
        add(c00, to: c); add(c01, to: c + 8)
        if rows > 1 { add(c10, to: c + ldc); add(c11, to: c + ldc + 8) }
        if rows > 2 { add(c20, to: c + 2 * ldc); add(c21, to: c + 2 * ldc + 8) }
        if rows > 3 { add(c30, to: c + 3 * ldc); add(c31, to: c + 3 * ldc + 8) }
    }
}
