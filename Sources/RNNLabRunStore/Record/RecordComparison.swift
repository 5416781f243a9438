/// A recomputed run compared with its record (`rnnlab verify`, `rnnlab run --recompute`): per-epoch metrics
/// and, when the whole run was recomputed, its ending (status, best epoch, final metrics) and final weight
/// digests — bit for bit, or within a relative tolerance where bit-identity is not expected.
public struct RecordComparison: Equatable, Sendable {
    /// The first figure that differs.
    public struct Difference: Equatable, Sendable {
        /// The epoch it belongs to (nil: the run's ending or its weights).
        public var epoch: Int?
        /// What differs, e.g. "validation bits_per_token" or "weights (rnn.weight_hh_l0)".
        public var quantity: String
        public var recorded: String
        public var recomputed: String
    }

    /// The epochs compared.
    public var epochsCompared: Int
    /// Whether the ending and the final weights were compared (the whole run was recomputed).
    public var endingCompared: Bool
    /// The relative tolerance numbers were compared with (nil: bit for bit).
    public var tolerance: Double?
    /// The largest relative difference seen (0 when bit-identical).
    public var largestRelativeDifference: Double
    /// The first difference beyond the tolerance, if any.
    public var difference: Difference?

    /// Whether nothing compared differs.
    public var isMatch: Bool { difference == nil }

    /// Compares the first `limit` epochs (all of them when nil or when the recomputed run is whole) and, for a
    /// whole run, its ending and weights. With a `tolerance`, numbers may differ by that relative amount and
    /// weights are not compared (they cannot be within a tolerance by digest).
    public init(recorded: RunRecord, recomputed: RunRecord, throughEpoch limit: Int? = nil, tolerance: Double? = nil) {
        self.tolerance = tolerance
        largestRelativeDifference = 0
        let wanted = min(limit ?? recorded.epochs.count, recorded.epochs.count)
        // The ending is compared when the recompute went as far as the record: no limit, a limit past the recorded
        // epochs, or a complete record of exactly `limit` epochs (a diverged one ended in the epoch after).
        endingCompared = limit.map { $0 > recorded.epochs.count || ($0 == recorded.epochs.count && recorded.status == .complete) } ?? true
        epochsCompared = 0
        difference = nil
        for index in 0..<wanted {
            guard index < recomputed.epochs.count else {
                difference = Difference(epoch: index + 1, quantity: "epochs trained", recorded: "\(recorded.epochs.count)",
                                        recomputed: "\(recomputed.epochs.count) (\(recomputed.status.rawValue))")
                return
            }
            let a = recorded.epochs[index], b = recomputed.epochs[index]
            compare(a.trainingLoss, b.trainingLoss, "train loss", epoch: a.epoch)
            compare(a.learningRate, b.learningRate, "learning rate", epoch: a.epoch)
            compare(a.validationMetrics, b.validationMetrics, "validation", epoch: a.epoch)
            compare(a.testMetrics, b.testMetrics, "test", epoch: a.epoch)
            if difference != nil { return }
            epochsCompared += 1
        }
        guard endingCompared else { return }
        if recorded.epochs.count != recomputed.epochs.count || recorded.status != recomputed.status {
            difference = Difference(epoch: nil, quantity: "ending", recorded: "\(recorded.status.rawValue) after \(recorded.epochs.count) epochs",
                                    recomputed: "\(recomputed.status.rawValue) after \(recomputed.epochs.count) epochs")
            return
        }
        if recorded.status == .diverged, recorded.statusDetail != recomputed.statusDetail {
            difference = Difference(epoch: nil, quantity: "divergence", recorded: recorded.statusDetail, recomputed: recomputed.statusDetail)
            return
        }
        if recorded.bestEpoch != recomputed.bestEpoch {
            difference = Difference(epoch: nil, quantity: "best epoch", recorded: recorded.bestEpoch.map(String.init) ?? "none",
                                    recomputed: recomputed.bestEpoch.map(String.init) ?? "none")
            return
        }
        compare(recorded.finalMetrics, recomputed.finalMetrics, "final test", epoch: nil)
        guard difference == nil, tolerance == nil || tolerance == 0, recorded.weights.all != recomputed.weights.all else { return }
        let tensor = recorded.weights.tensors.keys.sorted().first { recorded.weights.tensors[$0] != recomputed.weights.tensors[$0] }
        difference = Difference(epoch: nil, quantity: "final weights" + (tensor.map { " (\($0))" } ?? ""),
                                recorded: String(recorded.weights.all.prefix(16)), recomputed: String(recomputed.weights.all.prefix(16)))
    }

    private mutating func compare(_ a: [String: Double], _ b: [String: Double], _ split: String, epoch: Int?) {
        for name in Set(a.keys).union(b.keys).sorted() where difference == nil {
            guard let x = a[name], let y = b[name] else {
                difference = Difference(epoch: epoch, quantity: "\(split) \(name)", recorded: a[name].map { "\($0)" } ?? "absent",
                                        recomputed: b[name].map { "\($0)" } ?? "absent")
                return
            }
            compare(x, y, "\(split) \(name)", epoch: epoch)
        }
    }

    private mutating func compare(_ x: Double, _ y: Double, _ quantity: String, epoch: Int?) {
        guard difference == nil else { return }
        if x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) { return }
        let relative = x == y ? 0 : abs(x - y) / max(abs(x), abs(y))
        if relative.isFinite { largestRelativeDifference = max(largestRelativeDifference, relative) }
        if let tolerance, relative <= tolerance { return }
        difference = Difference(epoch: epoch, quantity: quantity, recorded: "\(x)", recomputed: "\(y)")
    }

    /// One line: "identical (12 epochs, final weights)" or the first difference with both values.
    public var summary: String {
        let what = "\(epochsCompared) epoch\(epochsCompared == 1 ? "" : "s")" + (endingCompared ? (tolerance == nil ? ", ending and final weights" : ", ending") : "")
        guard let difference else {
            if let tolerance {
                return "within tolerance \(tolerance) (\(what); largest relative difference \(largestRelativeDifference))"
            }
            return "identical (\(what))"
        }
        let place = difference.epoch.map { "epoch \($0), " } ?? ""
        return "differs at \(place)\(difference.quantity): recorded \(difference.recorded), recomputed \(difference.recomputed)"
    }
}

/// A recomputed run that differs from its record; the record is kept.
public struct RecomputeMismatch: Error, CustomStringConvertible {
    public var runID: String
    public var comparison: RecordComparison

    public init(runID: String, comparison: RecordComparison) {
        self.runID = runID
        self.comparison = comparison
    }

    public var description: String { "run \(runID) recomputed differently from its record: \(comparison.summary)" }
}
