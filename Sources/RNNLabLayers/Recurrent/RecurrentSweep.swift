import RNNLabNumerics

/// One layer of a recurrent network in one direction, for the cells whose previous
/// state enters through weights (a matrix W_hh, or IndRNN's vector u): its parameters,
/// the loop over time, and the activations the backward pass needs. (The scan cells,
/// minGRU and minLSTM, have their own sweep, `ScanSweep`.)
///
/// Parameters: `weight_ih`, `weight_hh` ([G·H, H], or [H] for a diagonal recurrence),
/// `bias_ih`, `bias_hh` (matrix recurrences only), then the peephole LSTMs' diagonal
/// peepholes `weight_ci`, `weight_cf`, `weight_co` [H] and FGR's `weight_gg` [3H, 3H].
///
/// Shapes (T steps, B rows, I inputs, H units, G gate blocks):
///   x      [T·B, I]        the layer's input, time-major
///   gates  [T·B, G·H]      x·W_ihᵀ + b_ih for all steps in one GEMM; the cells
///                          overwrite each step's block with what backward needs,
///                          and backward overwrites it in turn with ∂L/∂(x·W_ihᵀ + b_ih)
///                          (each element is read before it is written), so
///                          one buffer serves both passes
///   states [(T+1)·B, H]    hidden states; one slot holds h0
///   cells  [(T+1)·B, H]    LSTM cell states, same slots (backward recomputes tanh(c'));
///                          also the peephole LSTMs'. FGR reads the previous step's
///                          activated gates i, f, o from `gates`, and keeps ∂L/∂[i, f, o]
///                          of the previous step in `recurrent` during backward
///   aux    [T·B, H]        GRU only: W_hn h + b_hn; backward overwrites each step's
///                          block with the n block of ∂L/∂(h·W_hhᵀ + b_hh) after its
///                          cell has read it (the r and z blocks equal the input
///                          part's, which is in `gates`)
///
/// Slots: a forward sweep reads slot t and writes slot t+1 at time t (h0 in
/// slot 0); a reverse sweep reads slot t+1 and writes slot t (h0 in slot T).
/// Either way the states read at times 0..<T are T·B contiguous rows, so
/// ∂L/∂W_hh is one GEMM over the whole sequence.
///
/// Padding: with per-row `lengths`, a row whose time step t ≥ length does not
/// update: its state is carried (so the final state is the state after its
/// last real step, and a reverse sweep starts at its last real step), and no
/// gradient flows through the skipped step.
final class RecurrentSweep<T: Scalar>: LayerSweep {
    let cell: CellKind
    let inputSize: Int
    let hiddenSize: Int
    let reversed: Bool
    let weightIH: Parameter<T>   // [G·H, I]
    let weightHH: Parameter<T>   // [G·H, H]; IndRNN: u [H]
    let biasIH: Parameter<T>     // [G·H]
    let biasHH: Parameter<T>?    // [G·H]; none for IndRNN
    let peepholes: [Parameter<T>]        // weight_ci, weight_cf, weight_co [H] (those the variant has)
    let gateRecurrence: Parameter<T>?    // FGR: weight_gg [3H, 3H]
    let parameters: [Parameter<T>]
    private let variant: LSTMVariant?
    private let isDiagonal: Bool

    private(set) var steps = 0
    private(set) var batch = 0
    private var lengths: [Int]?
    /// When the input rows are one-hot vectors: the hot column of each row (−1: all zero).
    private var oneHotIndices: [Int32]?
    private let weightIHTransposed = Tensor<T>(shape: [0])   // [I, G·H] one-hot inputs: W_ihᵀ (forward), ∂W_ihᵀ (backward)

    // Forward activations.
    private let gates = Tensor<T>(shape: [0])
    private let states = Tensor<T>(shape: [0])
    private let cells = Tensor<T>(shape: [0])
    private let aux = Tensor<T>(shape: [0])
    private let recurrent = Tensor<T>(shape: [0])       // [B, G·H], the current step's h·W_hhᵀ + b_hh
                                                        // (GRU backward: that step's ∂L/∂(h·W_hhᵀ + b_hh))
    /// W_hh packed once per sweep for the per-step products: as W_hhᵀ [H, G·H] in forward, as W_hh [G·H, H] in backward.
    private let packedHH = PackedMatrix<T>()
    // Backward workspaces.
    // ∂L/∂(x·W_ihᵀ + b_ih) [T·B, G·H] lives in `gates`, the GRU's n block of
    // ∂L/∂(h·W_hhᵀ + b_hh) in `aux` (see the shapes above).
    private var dh = Tensor<T>(shape: [0]), dhPrev = Tensor<T>(shape: [0])
    private var dc = Tensor<T>(shape: [0]), dcPrev = Tensor<T>(shape: [0])

    private var gateWidth: Int { cell.gateCount * hiddenSize }

    init(cell: CellKind, inputSize: Int, hiddenSize: Int, layer: Int, reversed: Bool) {
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.reversed = reversed
        let suffix = "_l\(layer)" + (reversed ? "_reverse" : "")
        precondition(cell.recurrence != .none, "the scan cells run in ScanSweep")
        let rows = cell.gateCount * hiddenSize
        variant = cell.lstmVariant
        isDiagonal = cell.recurrence == .diagonal
        weightIH = Parameter(name: "weight_ih" + suffix, shape: [rows, inputSize])
        weightHH = Parameter(name: "weight_hh" + suffix, shape: isDiagonal ? [hiddenSize] : [rows, hiddenSize])
        biasIH = Parameter(name: "bias_ih" + suffix, shape: [rows])
        biasHH = isDiagonal ? nil : Parameter(name: "bias_hh" + suffix, shape: [rows])
        peepholes = (variant?.peepholeNames ?? []).map { Parameter(name: "weight_\($0)" + suffix, shape: [hiddenSize]) }
        let gateWidth = (variant?.sigmoidGateCount ?? 0) * hiddenSize
        gateRecurrence = variant?.fullGateRecurrence == true
            ? Parameter(name: "weight_gg" + suffix, shape: [gateWidth, gateWidth]) : nil
        parameters = [weightIH, weightHH, biasIH] + (biasHH.map { [$0] } ?? []) + peepholes
            + (gateRecurrence.map { [$0] } ?? [])
    }

    /// The peephole vectors of the variant, by gate.
    private var peepholePointers: PeepholeLSTMCell.Peepholes<T> {
        guard let variant, variant.peepholes else { return .init() }
        var list = peepholes.makeIterator()
        func next(_ present: Bool) -> UnsafePointer<T>? { present ? list.next().map { UnsafePointer($0.value.data) } : nil }
        let input = next(variant.hasInputGate), forget = next(variant.hasForgetGate)
        return .init(input: input, forget: forget, output: next(variant.hasOutputGate))
    }

    /// Keeps IndRNN's |u| ≤ `limit` (Li et al.'s constraint); nothing for other cells.
    func constrainRecurrentWeights(maxMagnitude limit: Double) {
        guard isDiagonal else { return }
        let u = weightHH.value.data, c = T(limit)
        for j in 0..<hiddenSize { u[j] = min(max(u[j], -c), c) }
    }

    /// The scalars this sweep keeps in its tensors: activations for backward and
    /// workspaces (the packed W_hh not included).
    var storedElementCount: Int {
        [gates, states, cells, aux, recurrent, dh, dhPrev, dc, dcPrev, weightIHTransposed].reduce(0) { $0 + $1.count }
    }

    // MARK: Slots

    @inline(__always) private func slotRead(atTime t: Int) -> Int { reversed ? t + 1 : t }
    @inline(__always) private func slotWritten(atTime t: Int) -> Int { reversed ? t : t + 1 }
    @inline(__always) private func isActive(row b: Int, time t: Int) -> Bool {
        guard let lengths else { return true }
        return t < lengths[b]
    }

    /// The hidden state written at time t [B, H] (carried through padding).
    func hiddenState(atTime t: Int) -> UnsafeMutablePointer<T> {
        states.data + slotWritten(atTime: t) * batch * hiddenSize
    }

    /// The hidden states written at times 0..<T, [T, B, H], as a view of the
    /// sweep's own buffer (a forward sweep's slots 1...T, a reverse sweep's
    /// 0..<T): valid until the next `forward`, and not to be written to.
    var hiddenStates: Tensor<T> {
        Tensor(viewing: states, offset: (reversed ? 0 : 1) * batch * hiddenSize, shape: [steps, batch, hiddenSize])
    }

    /// The final hidden state [B, H]: after the last step of a forward sweep, after time 0 of a reverse one.
    var finalHidden: UnsafePointer<T> { UnsafePointer(states.data + (reversed ? 0 : steps) * batch * hiddenSize) }

    /// The final cell state [B, H] (LSTM only).
    var finalCell: UnsafePointer<T> { UnsafePointer(cells.data + (reversed ? 0 : steps) * batch * hiddenSize) }

    /// ∂L/∂h0 [B, H] after `backward`.
    var initialHiddenGradient: UnsafePointer<T> { UnsafePointer(dh.data) }

    /// ∂L/∂c0 [B, H] after `backward` (LSTM only).
    var initialCellGradient: UnsafePointer<T> { UnsafePointer(dc.data) }

    // MARK: Forward

    /// Runs the sweep over x [T·B, I]. `h0`/`c0` [B, H] default to zeros.
    ///
    /// `oneHotIndices` [T·B], when given, says that row n of x is the one-hot
    /// vector of column oneHotIndices[n] (a negative index: the zero row); the
    /// input projection is then a gather of W_ih's columns instead of a GEMM
    /// (the same sums: every other product is an exact zero), and ∂W_ih in
    /// `backward` a scatter-add.
    func forward(
        x: UnsafePointer<T>, steps: Int, batch: Int, lengths: [Int]?,
        h0: UnsafePointer<T>?, c0: UnsafePointer<T>?, oneHotIndices: [Int32]? = nil
    ) {
        self.steps = steps
        self.batch = batch
        self.lengths = lengths
        self.oneHotIndices = oneHotIndices
        let H = hiddenSize, GH = gateWidth, rows = steps * batch, block = batch * H
        gates.reshape([rows, GH])
        states.reshape([steps + 1, batch, H])
        recurrent.reshape([batch, GH])
        if cell == .gru { aux.reshape([rows, H]) }
        if cell.hasCellState { cells.reshape([steps + 1, batch, H]) }

        // All steps' input projections at once: gates = x·W_ihᵀ + b_ih.
        Kernels.broadcastRows(biasIH.value.data, to: gates.data, rows: rows, cols: GH, ld: GH)
        if let oneHotIndices {
            // One-hot rows: gates[n, :] += W_ih[:, id_n], read from W_ihᵀ [I, G·H].
            precondition(oneHotIndices.count == rows, "one-hot indices must give one column per input row")
            let transposed = transposeWeightIH()
            for (n, id) in oneHotIndices.enumerated() where id >= 0 {
                precondition(Int(id) < inputSize, "one-hot index \(id) outside 0..<\(inputSize)")
                Kernels.add(transposed + Int(id) * GH, into: gates.data + n * GH, count: GH)
            }
        } else {
            T.gemm(transA: false, transB: true, m: rows, n: GH, k: inputSize,
                   alpha: 1, a: x, lda: inputSize, b: weightIH.value.data, ldb: inputSize,
                   beta: 1, c: gates.data, ldc: GH)
        }

        let initial = slotRead(atTime: reversed ? steps - 1 : 0)
        let h0Slot = states.data + initial * block
        if let h0 { h0Slot.update(from: h0, count: block) } else { h0Slot.update(repeating: 0, count: block) }
        if cell.hasCellState {
            let c0Slot = cells.data + initial * block
            if let c0 { c0Slot.update(from: c0, count: block) } else { c0Slot.update(repeating: 0, count: block) }
        }

        if !isDiagonal { packedHH.pack(transposing: weightHH.value.data, rows: GH, columns: H, ld: H) }
        let team = Self.team(), cellTeam = splitsCells(team: team)
        for s in 0..<steps {
            let t = reversed ? steps - 1 - s : s
            let hPrev = states.data + slotRead(atTime: t) * block
            let h = states.data + slotWritten(atTime: t) * block

            if let biasHH {
                // The fused recurrent product for all gates: hp = h_prev·W_hhᵀ + b_hh  [B, H]·[H, G·H]
                Kernels.broadcastRows(biasHH.value.data, to: recurrent.data, rows: batch, cols: GH, ld: GH)
                packedHH.multiplyAccumulate(m: batch, a: hPrev, lda: H, c: recurrent.data, ldc: GH, team: team)
            }
            if let gateRecurrence, s > 0 {
                // FGR: hp[:, i f o] += [i, f, o]_prev · W_ggᵀ  [B, 3H]·[3H, 3H]
                let width = gateRecurrence.shape[0], previous = reversed ? t + 1 : t - 1
                T.gemm(transA: false, transB: true, m: batch, n: width, k: width,
                       alpha: 1, a: gates.data + previous * batch * GH, lda: GH, b: gateRecurrence.value.data, ldb: width,
                       beta: 1, c: recurrent.data, ldc: GH)
            }

            // The gates, rows split between the team's workers.
            if let cellTeam {
                cellTeam.run { worker, workers in
                    cellForward(time: t, rows: ParallelTeam.share(of: batch, worker: worker, workers: workers))
                }
            } else {
                cellForward(time: t, rows: 0..<batch)
            }

            // Padded rows keep their state.
            if lengths != nil {
                for b in 0..<batch where !isActive(row: b, time: t) {
                    (h + b * H).update(from: hPrev + b * H, count: H)
                    if cell.hasCellState {
                        (cells.data + slotWritten(atTime: t) * block + b * H)
                            .update(from: cells.data + slotRead(atTime: t) * block + b * H, count: H)
                    }
                    // FGR: a padded step's gates feed no real step (a reverse sweep starts from zeros).
                    if let gateRecurrence {
                        (gates.data + (t * batch + b) * GH).update(repeating: 0, count: gateRecurrence.shape[0])
                    }
                }
            }
        }
    }

    /// The cell's forward step at time t for rows `rows` of the batch (rows are independent).
    private func cellForward(time t: Int, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let H = hiddenSize, GH = gateWidth, block = batch * H, first = rows.lowerBound, n = rows.count
        let hPrev = states.data + slotRead(atTime: t) * block + first * H
        let h = states.data + slotWritten(atTime: t) * block + first * H
        let gate = gates.data + (t * batch + first) * GH
        let hp = recurrent.data + first * GH
        switch cell {
        case .rnnTanh, .rnnRelu:
            ElmanCell.forward(relu: cell == .rnnRelu, xp: gate, hp: hp, h: h, count: n * H)
        case .lstm:
            LSTMCell.forward(gates: gate, hp: hp,
                             cPrev: cells.data + slotRead(atTime: t) * block + first * H,
                             c: cells.data + slotWritten(atTime: t) * block + first * H,
                             h: h, batch: n, hidden: H)
        case .gru:
            GRUCell.forward(gates: gate, hp: hp, hPrev: hPrev, h: h,
                            hpN: aux.data + t * block + first * H, batch: n, hidden: H)
        case .indRNN, .indRNNTanh:
            IndRNNCell.forward(relu: cell == .indRNN, xp: gate, u: weightHH.value.data, hPrev: hPrev, h: h,
                               batch: n, hidden: H)
        case .minGRU, .minLSTM:
            preconditionFailure("the scan cells run in ScanSweep")
        default:
            guard let variant else { preconditionFailure("\(cell) has no LSTM variant") }
            PeepholeLSTMCell.forward(variant, gates: gate, hp: hp, peepholes: peepholePointers,
                                     cPrev: cells.data + slotRead(atTime: t) * block + first * H,
                                     c: cells.data + slotWritten(atTime: t) * block + first * H,
                                     h: h, batch: n, hidden: H)
        }
    }

    /// The team that shares each step's work when the numerics have more than one
    /// thread (`BLAS.threads`; the recurrent product splits itself only when it is
    /// large enough).
    private static func team() -> ParallelTeam? {
        let threads = BLAS.threads
        return threads > 1 ? ParallelTeam.shared(size: threads) : nil
    }

    /// Whether the gate arithmetic of a step is worth splitting by rows between
    /// the team's workers: at least 6,144 gate values each (an LSTM or GRU at
    /// batch 16 and 256 units or more; a tanh RNN's step is too short).
    private func splitsCells(team: ParallelTeam?) -> ParallelTeam? {
        guard let team, batch >= team.size, batch * gateWidth >= 6_144 * team.size else { return nil }
        return team
    }

    // MARK: Backward

    /// Back-propagates through the sweep of the last `forward`, consuming its
    /// activations: the gate buffer ends up holding ∂L/∂(x·W_ihᵀ + b_ih), so a
    /// second `backward` needs a new `forward` first.
    ///
    /// - Parameters:
    ///   - x: the same input [T·B, I] as the forward pass.
    ///   - outputGradient: ∂L/∂(hidden state output) at every step, row t·B + b at
    ///     `outputGradient + (t·B + b)·outputStride`; nil for none.
    ///   - finalHiddenGradient, finalCellGradient: ∂L/∂h_N and ∂L/∂c_N [B, H], or nil.
    ///   - inputGradient: where to write ∂L/∂x [T·B, I], or nil to skip it;
    ///     `accumulate` adds to it instead of overwriting.
    ///   - stateGradientScale: multiplies the state gradient each time it steps
    ///     back across a time step (1 for exact BPTT; 1/(1 − c) for the unbiased
    ///     randomised truncation of Tallec & Ollivier 2017).
    /// Parameter gradients are accumulated.
    func backward(
        x: UnsafePointer<T>, outputGradient: UnsafePointer<T>?, outputStride: Int,
        finalHiddenGradient: UnsafePointer<T>?, finalCellGradient: UnsafePointer<T>?,
        inputGradient: UnsafeMutablePointer<T>?, accumulate: Bool, stateGradientScale: T = 1
    ) {
        let H = hiddenSize, GH = gateWidth, rows = steps * batch, block = batch * H
        let separateRecurrent = cell == .gru
        let dInputPre = gates   // overwritten step by step, each block after its cell has read it
        for buffer in [dh, dhPrev, dc, dcPrev] { buffer.reshape([batch, H]) }
        if let finalHiddenGradient { dh.data.update(from: finalHiddenGradient, count: block) } else { dh.zero() }
        if let finalCellGradient { dc.data.update(from: finalCellGradient, count: block) } else { dc.zero() }

        if !isDiagonal { packedHH.pack(weightHH.value.data, rows: GH, columns: H, ld: H) }
        if gateRecurrence != nil { recurrent.zero() }   // FGR: ∂L/∂[i, f, o] from the step after the last: none
        let team = Self.team(), cellTeam = splitsCells(team: team)
        for s in 0..<steps {
            let t = reversed ? s : steps - 1 - s
            let dxa = dInputPre.data + t * batch * GH
            // ∂L/∂(h·W_hhᵀ + b_hh) of this step [B, G·H]: the same as dxa, except for the GRU
            // (written to `recurrent` by its cell, the n block also kept in `aux`).
            let dha = separateRecurrent ? recurrent.data : dxa

            // dh += ∂L/∂output_t for the rows that produced an output at t.
            if let outputGradient {
                for b in 0..<batch where isActive(row: b, time: t) {
                    Kernels.add(outputGradient + (t * batch + b) * outputStride, into: dh.data + b * H, count: H)
                }
            }

            // The gates' backward step, rows split between the team's workers.
            if let cellTeam {
                cellTeam.run { worker, workers in
                    cellBackward(time: t, rows: ParallelTeam.share(of: batch, worker: worker, workers: workers))
                }
            } else {
                cellBackward(time: t, rows: 0..<batch)
            }

            // Padded rows: no gradient through the skipped step; the state gradient passes through.
            if lengths != nil {
                for b in 0..<batch where !isActive(row: b, time: t) {
                    (dxa + b * GH).update(repeating: 0, count: GH)
                    if separateRecurrent {
                        (dha + b * GH).update(repeating: 0, count: GH)
                        (aux.data + (t * batch + b) * H).update(repeating: 0, count: H)
                    }
                    (dhPrev.data + b * H).update(from: dh.data + b * H, count: H)
                    if cell.hasCellState { (dcPrev.data + b * H).update(from: dc.data + b * H, count: H) }
                }
            }

            // dh_prev += dha·W_hh  [B, G·H]·[G·H, H]
            if !isDiagonal {
                packedHH.multiplyAccumulate(m: batch, a: dha, lda: GH, c: dhPrev.data, ldc: H, team: team)
            }
            if let gateRecurrence, s < steps - 1 {
                // FGR: ∂W_gg += da[:, i f o]ᵀ·[i, f, o]_prev and ∂L/∂[i, f, o]_prev = da[:, i f o]·W_gg
                // (the previous step's activations are still in `gates`: backward has not reached it).
                let width = gateRecurrence.shape[0], previous = reversed ? t + 1 : t - 1
                T.gemm(transA: true, transB: false, m: width, n: width, k: batch,
                       alpha: 1, a: dxa, lda: GH, b: gates.data + previous * batch * GH, ldb: GH,
                       beta: 1, c: gateRecurrence.gradient.data, ldc: width)
                T.gemm(transA: false, transB: false, m: batch, n: width, k: width,
                       alpha: 1, a: dxa, lda: GH, b: gateRecurrence.value.data, ldb: width,
                       beta: 0, c: recurrent.data, ldc: GH)
            }
            if stateGradientScale != 1 {
                T.scale(count: block, alpha: stateGradientScale, x: dhPrev.data)
                if cell.hasCellState { T.scale(count: block, alpha: stateGradientScale, x: dcPrev.data) }
            }
            swap(&dh, &dhPrev)
            if cell.hasCellState { swap(&dc, &dcPrev) }
        }

        // Weight gradients over all steps at once.
        // ∂W_ih [G·H, I] += dxaᵀ·x ; ∂b_ih += Σ_rows dxa
        if let oneHotIndices {
            // One-hot rows: ∂W_ih[:, id_n] += dxa[n, :], summed in ∂W_ihᵀ [I, G·H] first.
            weightIHTransposed.reshape([inputSize, GH])
            weightIHTransposed.zero()
            for (n, id) in oneHotIndices.enumerated() where id >= 0 {
                Kernels.add(dInputPre.data + n * GH, into: weightIHTransposed.data + Int(id) * GH, count: GH)
            }
            let dW = weightIH.gradient.data
            for j in 0..<GH {
                let source = weightIHTransposed.data + j, row = dW + j * inputSize
                for i in 0..<inputSize { row[i] += source[i * GH] }
            }
        } else {
            T.gemm(transA: true, transB: false, m: GH, n: inputSize, k: rows,
                   alpha: 1, a: dInputPre.data, lda: GH, b: x, ldb: inputSize,
                   beta: 1, c: weightIH.gradient.data, ldc: inputSize)
        }
        Kernels.addColumnSums(dInputPre.data, rows: rows, cols: GH, ld: GH, into: biasIH.gradient.data)
        // ∂W_hh [G·H, H] += dhaᵀ·h_prev (the states read at times 0..<T are contiguous rows);
        // ∂b_hh += Σ_rows dha. The GRU's dha is dxa in its r and z blocks and `aux` in its n block.
        let statesRead = states.data + (reversed ? block : 0)
        if let biasHH {
            let sharedRows = separateRecurrent ? 2 * H : GH   // the gate rows whose dha is dxa
            T.gemm(transA: true, transB: false, m: sharedRows, n: H, k: rows,
                   alpha: 1, a: dInputPre.data, lda: GH, b: statesRead, ldb: H,
                   beta: 1, c: weightHH.gradient.data, ldc: H)
            Kernels.addColumnSums(dInputPre.data, rows: rows, cols: sharedRows, ld: GH, into: biasHH.gradient.data)
        } else {
            // IndRNN: ∂u += Σ_rows da ⊙ h_prev.
            let du = weightHH.gradient.data
            for r in 0..<rows {
                let d = dInputPre.data + r * GH, hp = statesRead + r * H
                for j in 0..<H { du[j] += d[j] * hp[j] }
            }
        }
        if variant != nil { accumulatePeepholeGradients() }
        if separateRecurrent, let biasHH {
            T.gemm(transA: true, transB: false, m: H, n: H, k: rows,
                   alpha: 1, a: aux.data, lda: H, b: statesRead, ldb: H,
                   beta: 1, c: weightHH.gradient.data + 2 * H * H, ldc: H)
            Kernels.addColumnSums(aux.data, rows: rows, cols: H, ld: H, into: biasHH.gradient.data + 2 * H)
        }
        // ∂x [T·B, I] (+)= dxa·W_ih
        if let inputGradient {
            T.gemm(transA: false, transB: false, m: rows, n: inputSize, k: GH,
                   alpha: 1, a: dInputPre.data, lda: GH, b: weightIH.value.data, ldb: inputSize,
                   beta: accumulate ? 1 : 0, c: inputGradient, ldc: inputSize)
        }
    }

    /// The cell's backward step at time t for rows `rows`: reads dh (and dc), writes
    /// the pre-activation gradients and dh_prev (zero for the Elman cells and the
    /// LSTM, whose dh_prev comes from the recurrent product alone) and dc_prev.
    private func cellBackward(time t: Int, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let H = hiddenSize, GH = gateWidth, block = batch * H, first = rows.lowerBound, n = rows.count
        let gate = gates.data + (t * batch + first) * GH
        let dxa = gates.data + (t * batch + first) * GH
        let dhRows = dh.data + first * H, dhPrevRows = dhPrev.data + first * H
        switch cell {
        case .rnnTanh, .rnnRelu:
            let h = states.data + slotWritten(atTime: t) * block + first * H
            ElmanCell.backward(relu: cell == .rnnRelu, h: h, dh: dhRows, da: dxa, count: n * H)
            dhPrevRows.update(repeating: 0, count: n * H)
        case .lstm:
            LSTMCell.backward(gates: gate, cPrev: cells.data + slotRead(atTime: t) * block + first * H,
                              c: cells.data + slotWritten(atTime: t) * block + first * H,
                              dh: dhRows, dc: dc.data + first * H,
                              da: dxa, dcPrev: dcPrev.data + first * H, batch: n, hidden: H)
            dhPrevRows.update(repeating: 0, count: n * H)
        case .gru:
            let hPrev = states.data + slotRead(atTime: t) * block + first * H
            let dha = recurrent.data + first * GH, hpN = aux.data + t * block + first * H
            GRUCell.backward(gates: gate, hpN: hpN, hPrev: hPrev, dh: dhRows,
                             dxa: dxa, dha: dha, dhPrev: dhPrevRows, batch: n, hidden: H)
            // Keep the n block of dha for ∂W_hh, in place of hpN (read above, not needed again).
            for b in 0..<n { (hpN + b * H).update(from: dha + b * GH + 2 * H, count: H) }
        case .indRNN, .indRNNTanh:
            let h = states.data + slotWritten(atTime: t) * block + first * H
            IndRNNCell.backward(relu: cell == .indRNN, h: h, u: weightHH.value.data, dh: dhRows,
                                da: dxa, dhPrev: dhPrevRows, batch: n, hidden: H)
        case .minGRU, .minLSTM:
            preconditionFailure("the scan cells run in ScanSweep")
        default:
            guard let variant else { preconditionFailure("\(cell) has no LSTM variant") }
            PeepholeLSTMCell.backward(variant, gates: gate, peepholes: peepholePointers,
                                      cPrev: cells.data + slotRead(atTime: t) * block + first * H,
                                      c: cells.data + slotWritten(atTime: t) * block + first * H,
                                      dh: dhRows, dc: dc.data + first * H,
                                      dGate: gateRecurrence == nil ? nil : UnsafePointer(recurrent.data + first * GH),
                                      da: dxa, dcPrev: dcPrev.data + first * H, batch: n, hidden: H)
            dhPrevRows.update(repeating: 0, count: n * H)
        }
    }

    /// ∂p_i += Σ da_i ⊙ c_prev, ∂p_f += Σ da_f ⊙ c_prev, ∂p_o += Σ da_o ⊙ c' over every step
    /// (after backward: `gates` holds the pre-activation gradients; padded rows hold zeros).
    private func accumulatePeepholeGradients() {
        guard let variant, variant.peepholes else { return }
        let H = hiddenSize, GH = gateWidth, block = batch * H
        var list = peepholes.makeIterator()
        var targets: [(block: Int, readsNewCell: Bool, gradient: UnsafeMutablePointer<T>)] = []
        if let b = variant.inputBlock, let p = list.next() { targets.append((b, false, p.gradient.data)) }
        if let b = variant.forgetBlock, let p = list.next() { targets.append((b, false, p.gradient.data)) }
        if let b = variant.outputBlock, let p = list.next() { targets.append((b, true, p.gradient.data)) }
        for t in 0..<steps {
            let previous = cells.data + slotRead(atTime: t) * block, current = cells.data + slotWritten(atTime: t) * block
            for b in 0..<batch {
                let d = gates.data + (t * batch + b) * GH
                for target in targets {
                    let c = (target.readsNewCell ? current : previous) + b * H, db = d + target.block * H
                    for j in 0..<H { target.gradient[j] += db[j] * c[j] }
                }
            }
        }
    }

    /// W_ihᵀ [I, G·H] in the workspace, for one-hot inputs.
    private func transposeWeightIH() -> UnsafePointer<T> {
        let GH = gateWidth
        weightIHTransposed.reshape([inputSize, GH])
        let w = weightIH.value.data, t = weightIHTransposed.data
        for j in 0..<GH {
            let row = w + j * inputSize
            for i in 0..<inputSize { t[i * GH + j] = row[i] }
        }
        return UnsafePointer(t)
    }
}
