import RNNLabNumerics

/// One layer of minGRU or minLSTM in one direction (`MinimalRNNCell`): every step is
/// h_t = a_t ⊙ h_{t−1} + b_t with a_t, b_t from x_t alone, so the whole sequence is one
/// GEMM for the gates and then an associative scan, run in blocks of time.
///
/// Shapes (T steps, B rows, I inputs, H units, G = 2 for minGRU, 3 for minLSTM):
///   x            [T·B, I]
///   gates        [T·B, G·H]   x·W_ihᵀ + b_ih (kept: backward recomputes the gates from
///                             them), overwritten by their gradients in backward
///   states       [(T+1)·B, H] slots as `RecurrentSweep`'s (h0 in the first one read)
///   coefficients [T·B, 2H]    forward (parallel): (log a, log b); backward: (a, ∂L/∂h_t)
///   chunks       [2C, B·H]    per-block carries of the two-level scans (C ≤ 8 blocks)
///
/// Forward, parallel: the pair (A, L) = (Σ log a, log of the zero-start scan) composes
/// associatively, (A₁, L₁) then (A₂, L₂) = (A₁ + A₂, logaddexp(L₁ + A₂, L₂)). The sequence
/// is cut into C ≤ 8 blocks of ⌈T/8⌉ steps (a fixed cut, so results do not depend on the
/// thread count): (1) every block scans itself from the identity, in parallel; (2) the
/// block ends are joined in order, h_end = e^A·h_start + e^L, which takes any real h0;
/// (3) every block applies its start state, h_t = e^(A_t)·h_start + e^(L_t), in parallel.
/// Sequential: h_t = a_t ⊙ h_{t−1} + b_t with a = σ(−k), b = σ(k)·g(h̃) in linear space.
///
/// Backward is the reverse scan G_t = ∂L/∂h_t = dy_t + a_{t+1} ⊙ G_{t+1} (linear space: a ∈ (0, 1),
/// so the products only shrink), in the same blocks, then each step's gate gradients.
///
/// Padding: a padded step is the identity (a = 1, b = 0): its state is carried.
final class ScanSweep<T: Scalar>: LayerSweep {
    typealias Element = T
    let cell: CellKind
    let inputSize: Int
    let hiddenSize: Int
    let reversed: Bool
    let weightIH: Parameter<T>   // [G·H, I]
    let biasIH: Parameter<T>     // [G·H]
    let parameters: [Parameter<T>]
    /// Parallel scan or sequential steps (the same numbers within rounding).
    var mode = ScanMode.automatic

    /// The most blocks the scans cut a sequence into.
    static var maxBlocks: Int { 8 }

    private(set) var steps = 0
    private(set) var batch = 0
    private var lengths: [Int]?
    private var oneHotIndices: [Int32]?
    private let weightIHTransposed = Tensor<T>(shape: [0])
    private let gates = Tensor<T>(shape: [0])
    private let states = Tensor<T>(shape: [0])
    private let coefficients = Tensor<T>(shape: [0])
    private let chunks = Tensor<T>(shape: [0])
    private let dh = Tensor<T>(shape: [0])

    private var isLSTM: Bool { cell == .minLSTM }
    private var gateWidth: Int { cell.gateCount * hiddenSize }

    init(cell: CellKind, inputSize: Int, hiddenSize: Int, layer: Int, reversed: Bool) {
        precondition(cell.recurrence == .none, "ScanSweep runs the scan cells only")
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.reversed = reversed
        let suffix = "_l\(layer)" + (reversed ? "_reverse" : "")
        weightIH = Parameter(name: "weight_ih" + suffix, shape: [cell.gateCount * hiddenSize, inputSize])
        biasIH = Parameter(name: "bias_ih" + suffix, shape: [cell.gateCount * hiddenSize])
        parameters = [weightIH, biasIH]
    }

    var storedElementCount: Int {
        [gates, states, coefficients, chunks, dh, weightIHTransposed].reduce(0) { $0 + $1.count }
    }

    // MARK: Slots and blocks

    @inline(__always) private func slotRead(atTime t: Int) -> Int { reversed ? t + 1 : t }
    @inline(__always) private func slotWritten(atTime t: Int) -> Int { reversed ? t : t + 1 }
    /// The time of the s-th step in sweep order.
    @inline(__always) private func time(_ s: Int) -> Int { reversed ? steps - 1 - s : s }
    @inline(__always) private func isActive(row b: Int, time t: Int) -> Bool {
        guard let lengths else { return true }
        return t < lengths[b]
    }
    @inline(__always) private func state(_ slot: Int) -> UnsafeMutablePointer<T> { states.data + slot * batch * hiddenSize }

    private var blockLength: Int { max(1, (steps + Self.maxBlocks - 1) / Self.maxBlocks) }
    private var blockCount: Int { (steps + blockLength - 1) / blockLength }
    /// Sweep-order steps of block c.
    private func block(_ c: Int) -> Range<Int> { (c * blockLength)..<min((c + 1) * blockLength, steps) }

    func hiddenState(atTime t: Int) -> UnsafeMutablePointer<T> { state(slotWritten(atTime: t)) }

    var hiddenStates: Tensor<T> {
        Tensor(viewing: states, offset: (reversed ? 0 : 1) * batch * hiddenSize, shape: [steps, batch, hiddenSize])
    }

    var finalHidden: UnsafePointer<T> { UnsafePointer(state(reversed ? 0 : steps)) }
    var finalCell: UnsafePointer<T> { preconditionFailure("\(cell) has no cell state") }
    var initialHiddenGradient: UnsafePointer<T> { UnsafePointer(dh.data) }
    var initialCellGradient: UnsafePointer<T> { preconditionFailure("\(cell) has no cell state") }
    func constrainRecurrentWeights(maxMagnitude limit: Double) {}

    private static func team() -> ParallelTeam? {
        BLAS.threads > 1 ? ParallelTeam.shared(size: BLAS.threads) : nil
    }

    /// Runs body(range) over 0..<count, split between the team's workers.
    private func parallel(_ count: Int, _ body: (Range<Int>) -> Void) {
        if let team = Self.team(), count > 1 {
            team.run { worker, workers in
                let share = ParallelTeam.share(of: count, worker: worker, workers: workers)
                if !share.isEmpty { body(share) }
            }
        } else {
            body(0..<count)
        }
    }

    // MARK: Forward

    func forward(x: UnsafePointer<T>, steps: Int, batch: Int, lengths: [Int]?,
                 h0: UnsafePointer<T>?, c0: UnsafePointer<T>?, oneHotIndices: [Int32]?) {
        self.steps = steps
        self.batch = batch
        self.lengths = lengths
        self.oneHotIndices = oneHotIndices
        let H = hiddenSize, GH = gateWidth, rows = steps * batch, block = batch * H
        gates.reshape([rows, GH])
        states.reshape([steps + 1, batch, H])

        // All steps' gate pre-activations at once: gates = x·W_ihᵀ + b_ih (one-hot rows: a gather).
        Kernels.broadcastRows(biasIH.value.data, to: gates.data, rows: rows, cols: GH, ld: GH)
        if let oneHotIndices {
            precondition(oneHotIndices.count == rows, "one-hot indices must give one column per input row")
            weightIHTransposed.reshape([inputSize, GH])
            let w = weightIH.value.data, transposed = weightIHTransposed.data
            for j in 0..<GH { for i in 0..<inputSize { transposed[i * GH + j] = w[j * inputSize + i] } }
            for (n, id) in oneHotIndices.enumerated() where id >= 0 {
                precondition(Int(id) < inputSize, "one-hot index \(id) outside 0..<\(inputSize)")
                Kernels.add(transposed + Int(id) * GH, into: gates.data + n * GH, count: GH)
            }
        } else {
            T.gemm(transA: false, transB: true, m: rows, n: GH, k: inputSize,
                   alpha: 1, a: x, lda: inputSize, b: weightIH.value.data, ldb: inputSize,
                   beta: 1, c: gates.data, ldc: GH)
        }

        let h0Slot = state(slotRead(atTime: time(0)))
        if let h0 { h0Slot.update(from: h0, count: block) } else { h0Slot.update(repeating: 0, count: block) }
        guard steps > 0 else { return }
        let sequential = mode == .sequential || (mode == .automatic && steps == 1)
        if sequential { sequentialForward() } else { parallelForward() }
    }

    /// h_t = a_t ⊙ h_{t−1} + b_t step by step, a and b in linear space.
    private func sequentialForward() {
        let H = hiddenSize, GH = gateWidth, lstm = isLSTM
        for s in 0..<steps {
            let t = time(s), hPrev = state(slotRead(atTime: t)), h = state(slotWritten(atTime: t))
            for b in 0..<batch {
                let previous = hPrev + b * H, next = h + b * H
                guard isActive(row: b, time: t) else { next.update(from: previous, count: H); continue }
                let row = UnsafePointer(gates.data + (t * batch + b) * GH)
                for j in 0..<H {
                    let (a, bj) = MinimalRNNCell.coefficients(lstm: lstm, row: row, unit: j, hidden: H)
                    next[j] = a * previous[j] + bj
                }
            }
        }
    }

    /// The blocked two-level scan in log space (see the type's comment).
    private func parallelForward() {
        let H = hiddenSize, GH = gateWidth, lstm = isLSTM, B = batch, channels = batch * hiddenSize
        coefficients.reshape([steps * B, 2 * H])
        let C = blockCount
        chunks.reshape([2 * C, channels])
        let coefficient = coefficients.data, gate = gates.data

        // (log a, log b) of every element; padded steps are the identity (0, −∞).
        parallel(steps * B) { rows in
            for n in rows {
                let out = coefficient + n * 2 * H
                guard isActive(row: n % B, time: n / B) else {
                    for j in 0..<H { out[j] = 0; out[H + j] = -T.infinity }
                    continue
                }
                let row = UnsafePointer(gate + n * GH)
                if T.self == Float.self {
                    MinimalRNNCellFloat.logCoefficients(lstm: lstm, row: floats(row), out: floats(out), hidden: H)
                    continue
                }
                for j in 0..<H {
                    let (la, lb) = MinimalRNNCell.logCoefficients(lstm: lstm, row: row, unit: j, hidden: H)
                    out[j] = la; out[H + j] = lb
                }
            }
        }
        // (1) Each block from the identity: A in chunks[c], L in the states slots.
        parallel(C) { blocks in
            for c in blocks {
                let total = chunks.data + c * channels
                total.update(repeating: 0, count: channels)
                for s in block(c) {
                    let t = time(s), out = state(slotWritten(atTime: t))
                    let previous: UnsafeMutablePointer<T>? = s == block(c).lowerBound ? nil : state(slotRead(atTime: t))
                    for b in 0..<B {
                        let row = coefficient + (t * B + b) * 2 * H, at = b * H
                        if T.self == Float.self {
                            MinimalRNNCellFloat.scanStep(la: floats(UnsafePointer(row)), lb: floats(UnsafePointer(row + H)),
                                                         previous: previous.map { floats(UnsafePointer($0 + at)) },
                                                         out: floats(out + at), total: floats(total + at), count: H)
                            continue
                        }
                        for j in 0..<H {
                            let n = at + j, la = row[j], lb = row[H + j]
                            total[n] += la
                            out[n] = previous.map { MinimalRNNCell.logAddExp($0[n] + la, lb) } ?? lb
                        }
                    }
                }
            }
        }
        // (2) Block ends in order: h_end = e^A·h_start + e^L.
        for c in 0..<C {
            let steps = block(c), start = state(slotRead(atTime: time(steps.lowerBound)))
            let end = state(slotWritten(atTime: time(steps.upperBound - 1))), total = chunks.data + c * channels
            for n in 0..<channels { end[n] = T.exp(total[n]) * start[n] + T.exp(end[n]) }
        }
        // (3) Every other step of each block from its start state.
        parallel(C) { blocks in
            for c in blocks {
                let steps = block(c), start = state(slotRead(atTime: time(steps.lowerBound)))
                let running = chunks.data + (C + c) * channels
                running.update(repeating: 0, count: channels)
                for s in steps.dropLast() {
                    let t = time(s), out = state(slotWritten(atTime: t))
                    for b in 0..<B {
                        let row = coefficient + (t * B + b) * 2 * H, at = b * H
                        if T.self == Float.self {
                            MinimalRNNCellFloat.applyStart(la: floats(UnsafePointer(row)), running: floats(running + at),
                                                           start: floats(UnsafePointer(start + at)), out: floats(out + at), count: H)
                            continue
                        }
                        for j in 0..<H {
                            let n = at + j
                            running[n] += row[j]
                            out[n] = T.exp(running[n]) * start[n] + T.exp(out[n])
                        }
                    }
                }
            }
        }
    }

    // MARK: Backward

    func backward(x: UnsafePointer<T>, outputGradient: UnsafePointer<T>?, outputStride: Int,
                  finalHiddenGradient: UnsafePointer<T>?, finalCellGradient: UnsafePointer<T>?,
                  inputGradient: UnsafeMutablePointer<T>?, accumulate: Bool, stateGradientScale: T) {
        let H = hiddenSize, GH = gateWidth, B = batch, rows = steps * batch, channels = batch * hiddenSize
        let lstm = isLSTM
        dh.reshape([B, H])
        guard steps > 0 else {
            if let finalHiddenGradient { dh.data.update(from: finalHiddenGradient, count: channels) } else { dh.zero() }
            return
        }
        coefficients.reshape([rows, 2 * H])
        let C = blockCount
        chunks.reshape([2 * C, channels])
        let coefficient = coefficients.data, gate = gates.data, last = time(steps - 1)

        // a (times the state-gradient scale) and the direct gradient dy of every element;
        // padded steps pass the state gradient through (a = 1) and take no output gradient.
        parallel(rows) { range in
            for n in range {
                let (t, b) = (n / B, n % B), out = coefficient + n * 2 * H
                let active = isActive(row: b, time: t), row = UnsafePointer(gate + n * GH)
                if active, T.self == Float.self {
                    MinimalRNNCellFloat.decay(lstm: lstm, row: floats(row), out: floats(out), scale: Float(stateGradientScale), hidden: H)
                }
                for j in 0..<H {
                    if !active {
                        out[j] = stateGradientScale
                    } else if T.self != Float.self {
                        out[j] = MinimalRNNCell.coefficients(lstm: lstm, row: row, unit: j, hidden: H).0 * stateGradientScale
                    }
                    var direct: T = active ? (outputGradient.map { $0[n * outputStride + j] } ?? 0) : 0
                    if t == last, let finalHiddenGradient { direct += finalHiddenGradient[b * H + j] }
                    out[H + j] = direct
                }
            }
        }
        // The reverse scan G_s = d_s + a_{s+1}·G_{s+1} (sweep order s), in the same blocks. Element
        // (b, j) of step s: a at rowsOf(s)[b·2H + j], d and then G at rowsOf(s)[b·2H + H + j].
        @inline(__always) func rowsOf(_ s: Int) -> UnsafeMutablePointer<T> { coefficient + time(s) * B * 2 * H }
        // (1) Each block from a zero carry; chunks[c] = a_{s1}·Π_{s0<u<s1} a_u (0 for the last block).
        parallel(C) { blocks in
            for c in blocks {
                let range = block(c), product = chunks.data + c * channels
                if c < C - 1 {
                    let next = rowsOf(range.upperBound)
                    for b in 0..<B { for j in 0..<H { product[b * H + j] = next[b * 2 * H + j] } }
                } else {
                    product.update(repeating: 0, count: channels)
                }
                for s in range.reversed() {
                    let here = rowsOf(s)
                    if s < range.upperBound - 1 {
                        let next = rowsOf(s + 1)
                        for b in 0..<B {
                            let e = here + b * 2 * H + H, f = next + b * 2 * H
                            for j in 0..<H { e[j] += f[j] * f[H + j] }
                        }
                    }
                    if s > range.lowerBound {
                        for b in 0..<B {
                            let e = here + b * 2 * H, p = product + b * H
                            for j in 0..<H { p[j] *= e[j] }
                        }
                    }
                }
            }
        }
        // (2) Carries from the last block back: chunks[C + c] = G at the first step after block c.
        let carry = chunks.data + C * channels
        (carry + (C - 1) * channels).update(repeating: 0, count: channels)
        for c in stride(from: C - 1, to: 0, by: -1) {
            let first = rowsOf(block(c).lowerBound), product = chunks.data + c * channels
            let into = carry + (c - 1) * channels, from = carry + c * channels
            for b in 0..<B {
                let e = first + b * 2 * H + H
                for j in 0..<H { let n = b * H + j; into[n] = e[j] + product[n] * from[n] }
            }
        }
        // (3) Every step of each block but the last takes its carry: G_s += (Π_{s<u≤s1} a_u)·carry.
        parallel(C) { blocks in
            for c in blocks where c < C - 1 {
                let range = block(c), from = carry + c * channels, running = chunks.data + c * channels
                let next = rowsOf(range.upperBound)
                for b in 0..<B { for j in 0..<H { running[b * H + j] = next[b * 2 * H + j] } }
                for s in range.reversed() {
                    let here = rowsOf(s)
                    for b in 0..<B {
                        let e = here + b * 2 * H, p = running + b * H, f = from + b * H
                        for j in 0..<H { e[H + j] += p[j] * f[j]; p[j] *= e[j] }
                    }
                }
            }
        }
        // ∂L/∂h0 = a_0·G_0 (sweep order).
        let first = rowsOf(0)
        for b in 0..<B { for j in 0..<H { dh.data[b * H + j] = first[b * 2 * H + j] * first[b * 2 * H + H + j] } }
        // Each step's gate gradients, written over its pre-activations.
        parallel(rows) { range in
            for n in range {
                let (t, b) = (n / B, n % B), row = gate + n * GH
                guard isActive(row: b, time: t) else { row.update(repeating: 0, count: GH); continue }
                if T.self == Float.self {
                    MinimalRNNCellFloat.backward(lstm: lstm, row: floats(row), total: floats(UnsafePointer(coefficient + n * 2 * H + H)),
                                                 hPrev: floats(UnsafePointer(state(slotRead(atTime: t)) + b * H)), hidden: H)
                    continue
                }
                MinimalRNNCell.backward(lstm: lstm, row: row, total: UnsafePointer(coefficient + n * 2 * H + H),
                                        hPrev: UnsafePointer(state(slotRead(atTime: t)) + b * H), hidden: H)
            }
        }

        // ∂W_ih [G·H, I] += dxaᵀ·x (one-hot rows: a scatter-add); ∂b_ih += Σ_rows dxa; ∂x (+)= dxa·W_ih.
        if let oneHotIndices {
            weightIHTransposed.reshape([inputSize, GH])
            weightIHTransposed.zero()
            for (n, id) in oneHotIndices.enumerated() where id >= 0 {
                Kernels.add(gate + n * GH, into: weightIHTransposed.data + Int(id) * GH, count: GH)
            }
            let dW = weightIH.gradient.data
            for j in 0..<GH {
                let source = weightIHTransposed.data + j, row = dW + j * inputSize
                for i in 0..<inputSize { row[i] += source[i * GH] }
            }
        } else {
            T.gemm(transA: true, transB: false, m: GH, n: inputSize, k: rows,
                   alpha: 1, a: gate, lda: GH, b: x, ldb: inputSize,
                   beta: 1, c: weightIH.gradient.data, ldc: inputSize)
        }
        Kernels.addColumnSums(gate, rows: rows, cols: GH, ld: GH, into: biasIH.gradient.data)
        if let inputGradient {
            T.gemm(transA: false, transB: false, m: rows, n: inputSize, k: GH,
                   alpha: 1, a: gate, lda: GH, b: weightIH.value.data, ldb: inputSize,
                   beta: accumulate ? 1 : 0, c: inputGradient, ldc: inputSize)
        }
    }
}
