import RNNLabNumerics
import RealModule

/// Multi-label binary cross-entropy on logits, summed over units and averaged
/// over rows: the frame-level NLL of polyphonic music models.
///
/// loss = (1/N) Σ_n Σ_k [ max(z,0) − z·y + log(1 + e^(−|z|)) ]_{n,k}
///      = (1/N) Σ_n Σ_k −[ y log σ(z) + (1 − y) log(1 − σ(z)) ]
/// Rows whose `rowMask` entry is false (padding) are left out of the sum and of N.
public final class SigmoidBinaryCrossEntropy<T: Scalar> {
    /// d loss / d logits of the last pass [N, K].
    public let inputGradient = Tensor<T>(shape: [0])
    /// The number of rows that counted in the last forward pass.
    public private(set) var rowCount = 0
    /// The summed (not averaged) loss of the last forward pass, in nats.
    public private(set) var totalLoss = 0.0
    private var logits: Tensor<T>?
    private var targets: Tensor<T>?
    private var rowMask: [Bool]?

    public init() {}

    // forward: loss = (1/N) Σ_rows Σ_units softplus(z) − z·y   (stable form)
    /// Returns the mean over counted rows of the per-row summed NLL, in nats.
    @discardableResult
    public func forward(logits: Tensor<T>, targets: Tensor<T>, rowMask: [Bool]? = nil) -> Double {
        precondition(logits.count == targets.count, "SigmoidBinaryCrossEntropy: logits \(logits.shape) vs targets \(targets.shape)")
        let rows = logits.shape.count > 1 ? logits.count / logits.shape[logits.shape.count - 1] : 1
        let units = logits.count / max(rows, 1)
        if let rowMask { precondition(rowMask.count == rows, "rowMask has \(rowMask.count) entries for \(rows) rows") }
        self.logits = logits
        self.targets = targets
        self.rowMask = rowMask
        var total = 0.0
        var counted = 0
        for n in 0..<rows where rowMask?[n] ?? true {
            counted += 1
            for k in 0..<units {
                let z = Double(logits.data[n * units + k]), y = Double(targets.data[n * units + k])
                total += max(z, 0) - z * y + Double.log(onePlus: Double.exp(-abs(z)))
            }
        }
        rowCount = counted
        totalLoss = total
        return counted == 0 ? 0 : total / Double(counted)
    }

    // backward: dz = (σ(z) − y) / N ; masked rows get 0
    /// The gradient of the mean loss with respect to the logits.
    @discardableResult
    public func backward() -> Tensor<T> {
        guard let logits, let targets else { preconditionFailure("SigmoidBinaryCrossEntropy.backward called before forward") }
        inputGradient.reshape(logits.shape)
        let rows = logits.shape.count > 1 ? logits.count / logits.shape[logits.shape.count - 1] : 1
        let units = logits.count / max(rows, 1)
        let scale = rowCount == 0 ? 0 : 1 / T(rowCount)
        // σ is `T.logistic`: libm's stable form in Double, the vectorisable one in Float.
        for n in 0..<rows {
            let z = logits.data + n * units, y = targets.data + n * units, dz = inputGradient.data + n * units
            guard rowMask?[n] ?? true else { dz.update(repeating: 0, count: units); continue }
            for k in 0..<units { dz[k] = (T.logistic(z[k]) - y[k]) * scale }
        }
        return inputGradient
    }
}
