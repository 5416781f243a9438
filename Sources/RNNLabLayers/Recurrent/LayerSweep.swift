import RNNLabNumerics

/// One layer of a recurrent network in one direction, as `RecurrentNetwork` drives it:
/// `RecurrentSweep` (state through weights, one step at a time) or `ScanSweep`
/// (minGRU/minLSTM: every step at once by a parallel scan).
///
/// Slots: a forward sweep reads slot t and writes slot t+1 at time t (h0 in slot 0);
/// a reverse sweep reads slot t+1 and writes slot t (h0 in slot T).
protocol LayerSweep<Element>: AnyObject {
    associatedtype Element: Scalar
    /// The parameters, in `state_dict` order, without the network's prefix.
    var parameters: [Parameter<Element>] { get }
    /// The scalars kept in the sweep's own tensors (activations and workspaces).
    var storedElementCount: Int { get }
    /// Runs the sweep over x [T·B, I] from h0 (and c0) [B, H] or zeros.
    func forward(x: UnsafePointer<Element>, steps: Int, batch: Int, lengths: [Int]?,
                 h0: UnsafePointer<Element>?, c0: UnsafePointer<Element>?, oneHotIndices: [Int32]?)
    /// Back-propagates through the last forward pass (see `RecurrentSweep.backward`).
    func backward(x: UnsafePointer<Element>, outputGradient: UnsafePointer<Element>?, outputStride: Int,
                  finalHiddenGradient: UnsafePointer<Element>?, finalCellGradient: UnsafePointer<Element>?,
                  inputGradient: UnsafeMutablePointer<Element>?, accumulate: Bool, stateGradientScale: Element)
    /// The hidden state written at time t [B, H].
    func hiddenState(atTime t: Int) -> UnsafeMutablePointer<Element>
    /// The hidden states written at times 0..<T [T, B, H], a view of the sweep's buffer.
    var hiddenStates: Tensor<Element> { get }
    /// The final hidden state [B, H].
    var finalHidden: UnsafePointer<Element> { get }
    /// The final cell state [B, H] (cells with a cell state only).
    var finalCell: UnsafePointer<Element> { get }
    /// ∂L/∂h0 [B, H] after `backward`.
    var initialHiddenGradient: UnsafePointer<Element> { get }
    /// ∂L/∂c0 [B, H] after `backward` (cells with a cell state only).
    var initialCellGradient: UnsafePointer<Element> { get }
    /// Clamps diagonal recurrent weights to [−limit, limit] (IndRNN); nothing for other cells.
    func constrainRecurrentWeights(maxMagnitude limit: Double)
}

/// How the scan cells (minGRU, minLSTM) run over a sequence.
public enum ScanMode: Equatable, Sendable {
    /// The blocked parallel scan in log space for sequences of more than one step, the
    /// sequential form for a single step (generation and step-by-step streaming).
    case automatic
    /// Always the blocked parallel scan.
    case parallel
    /// Always the sequential form h_t = a_t ⊙ h_{t−1} + b_t, step by step.
    case sequential
}

/// A layer's sweep as `RecurrentNetwork` holds it: an enum of the concrete sweeps rather than
/// `any LayerSweep`, so that the network's calls reach specialised code (through an existential,
/// the compiler keeps the sweeps' generic bodies, and the per-step loops lose more than half their speed).
enum Sweep<T: Scalar> {
    case recurrent(RecurrentSweep<T>)
    case scan(ScanSweep<T>)

    init(cell: CellKind, inputSize: Int, hiddenSize: Int, layer: Int, reversed: Bool) {
        self = cell.recurrence == .none
            ? .scan(ScanSweep(cell: cell, inputSize: inputSize, hiddenSize: hiddenSize, layer: layer, reversed: reversed))
            : .recurrent(RecurrentSweep(cell: cell, inputSize: inputSize, hiddenSize: hiddenSize, layer: layer, reversed: reversed))
    }

    var parameters: [Parameter<T>] {
        switch self { case .recurrent(let s): s.parameters; case .scan(let s): s.parameters }
    }
    var storedElementCount: Int {
        switch self { case .recurrent(let s): s.storedElementCount; case .scan(let s): s.storedElementCount }
    }
    func forward(x: UnsafePointer<T>, steps: Int, batch: Int, lengths: [Int]?,
                 h0: UnsafePointer<T>?, c0: UnsafePointer<T>?, oneHotIndices: [Int32]?) {
        switch self {
        case .recurrent(let s):
            s.forward(x: x, steps: steps, batch: batch, lengths: lengths, h0: h0, c0: c0, oneHotIndices: oneHotIndices)
        case .scan(let s):
            s.forward(x: x, steps: steps, batch: batch, lengths: lengths, h0: h0, c0: c0, oneHotIndices: oneHotIndices)
        }
    }
    func backward(x: UnsafePointer<T>, outputGradient: UnsafePointer<T>?, outputStride: Int,
                  finalHiddenGradient: UnsafePointer<T>?, finalCellGradient: UnsafePointer<T>?,
                  inputGradient: UnsafeMutablePointer<T>?, accumulate: Bool, stateGradientScale: T) {
        switch self {
        case .recurrent(let s):
            s.backward(x: x, outputGradient: outputGradient, outputStride: outputStride, finalHiddenGradient: finalHiddenGradient,
                       finalCellGradient: finalCellGradient, inputGradient: inputGradient, accumulate: accumulate,
                       stateGradientScale: stateGradientScale)
        case .scan(let s):
            s.backward(x: x, outputGradient: outputGradient, outputStride: outputStride, finalHiddenGradient: finalHiddenGradient,
                       finalCellGradient: finalCellGradient, inputGradient: inputGradient, accumulate: accumulate,
                       stateGradientScale: stateGradientScale)
        }
    }
    func hiddenState(atTime t: Int) -> UnsafeMutablePointer<T> {
        switch self { case .recurrent(let s): s.hiddenState(atTime: t); case .scan(let s): s.hiddenState(atTime: t) }
    }
    var hiddenStates: Tensor<T> {
        switch self { case .recurrent(let s): s.hiddenStates; case .scan(let s): s.hiddenStates }
    }
    var finalHidden: UnsafePointer<T> {
        switch self { case .recurrent(let s): s.finalHidden; case .scan(let s): s.finalHidden }
    }
    var finalCell: UnsafePointer<T> {
        switch self { case .recurrent(let s): s.finalCell; case .scan(let s): s.finalCell }
    }
    var initialHiddenGradient: UnsafePointer<T> {
        switch self { case .recurrent(let s): s.initialHiddenGradient; case .scan(let s): s.initialHiddenGradient }
    }
    var initialCellGradient: UnsafePointer<T> {
        switch self { case .recurrent(let s): s.initialCellGradient; case .scan(let s): s.initialCellGradient }
    }
    func constrainRecurrentWeights(maxMagnitude limit: Double) {
        switch self {
        case .recurrent(let s): s.constrainRecurrentWeights(maxMagnitude: limit)
        case .scan(let s): s.constrainRecurrentWeights(maxMagnitude: limit)
        }
    }
}
