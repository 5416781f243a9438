import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// Polyphonic music modelling on 88-key piano rolls (MIDI 21…108), as in
/// Boulanger-Lewandowski et al. 2012 and Chung et al. 2014.
///
/// Each sequence of n frames gives n − 1 predictions: frame t + 1 from frames
/// ≤ t, with 88 sigmoid outputs. The NLL of a frame is
/// −Σ_keys [y log p + (1 − y) log(1 − p)], and the reported NLL is its average
/// over all predicted frames of the split (frame-weighted). Frame-level
/// accuracy is TP/(TP + FP + FN) summed over the split with threshold 0.5.
/// Baseline: each key's frequency of being on in the training split.
public struct PolyphonicMusicTask: SequenceTask {
    public static let lowestPitch = 21
    public static let keys = 88
    public let name: String
    /// Sequences of frames; a frame lists its active MIDI pitches.
    public let training: [[[Int]]]
    public let validation: [[[Int]]]
    public let test: [[[Int]]]

    public init(name: String, training: [[[Int]]], validation: [[[Int]]], test: [[[Int]]]) throws {
        for (split, sequences) in [("training", training), ("validation", validation), ("test", test)] {
            guard !sequences.isEmpty, sequences.allSatisfy({ $0.count >= 2 }) else {
                throw TaskError.invalid("every \(split) sequence of '\(name)' needs at least 2 frames")
            }
            for (s, sequence) in sequences.enumerated() {
                for (t, frame) in sequence.enumerated() {
                    if let bad = frame.first(where: { $0 < Self.lowestPitch || $0 >= Self.lowestPitch + Self.keys }) {
                        throw TaskError.invalid("\(name) \(split) sequence \(s) step \(t): pitch \(bad) outside 21…108")
                    }
                }
            }
        }
        self.name = name
        self.training = training
        self.validation = validation
        self.test = test
    }

    public var input: SequenceInput { .dense(features: Self.keys) }
    public var head: SequenceHead { .binaryPerStep(units: Self.keys) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("nll", lowerIsBetter: true, "negative log-likelihood per frame, nats (frame-weighted)"),
         MetricDefinition("frame_accuracy", lowerIsBetter: false, "TP/(TP + FP + FN) over all frames, threshold 0.5"),
         MetricDefinition("loss", lowerIsBetter: true, "the same as nll")]
    }

    func sequences(_ split: EvaluationSplit?) -> [[[Int]]] {
        switch split {
        case nil: training
        case .validation: validation
        case .test: test
        }
    }

    /// A padded batch of sequences: inputs frames 0..<n−1, targets frames 1..<n.
    func batch(_ split: EvaluationSplit?, _ indices: [Int]) -> SequenceBatch<Float> {
        let all = sequences(split)
        let chosen = indices.map { all[$0] }
        let B = chosen.count, T = (chosen.map(\.count).max() ?? 1) - 1
        let inputs = Tensor<Float>(shape: [T * B, Self.keys]), targets = Tensor<Float>(shape: [T * B, Self.keys])
        for (b, sequence) in chosen.enumerated() {
            for t in 0..<(sequence.count - 1) {
                for pitch in sequence[t] { inputs[(t * B + b) * Self.keys + pitch - Self.lowestPitch] = 1 }
                for pitch in sequence[t + 1] { targets[(t * B + b) * Self.keys + pitch - Self.lowestPitch] = 1 }
            }
        }
        return SequenceBatch(steps: T, batch: B, features: inputs, lengths: chosen.map { $0.count - 1 }, valueTargets: targets)
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        ExampleSource(trainingCount: training.count, validationCount: validation.count, testCount: test.count,
                      batchSize: batchSize, batch: batch, metrics: { MusicMetrics() })
    }

    /// The per-key frequency model of the training split, scored like the models.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        var on = [Double](repeating: 0, count: Self.keys), frames = 0.0
        for sequence in training {
            for frame in sequence.dropFirst() { for pitch in frame { on[pitch - Self.lowestPitch] += 1 } }
            frames += Double(sequence.count - 1)
        }
        // Keys never on in training get a tiny probability rather than 0, so that the NLL stays finite.
        let p = on.map { min(max($0 / frames, 1e-6), 1 - 1e-6) }
        var nll = 0.0, predicted = 0.0, tp = 0.0, fp = 0.0, fn = 0.0
        for sequence in sequences(split) {
            for frame in sequence.dropFirst() {
                let active = Set(frame.map { $0 - Self.lowestPitch })
                for k in 0..<Self.keys {
                    let y = active.contains(k)
                    nll -= Double.log(y ? p[k] : 1 - p[k])
                    switch (p[k] > 0.5, y) {
                    case (true, true): tp += 1
                    case (true, false): fp += 1
                    case (false, true): fn += 1
                    case (false, false): break
                    }
                }
                predicted += 1
            }
        }
        let loss = nll / predicted
        return ["loss": loss, "nll": loss, "frame_accuracy": tp + fp + fn > 0 ? tp / (tp + fp + fn) : 0]
    }
}

/// Frame-weighted NLL and frame-level accuracy.
final class MusicMetrics: MetricSet<Float> {
    private var tp = 0.0, fp = 0.0, fn = 0.0

    override func add(_ batch: SequenceBatch<Float>, model: any SequencePredictions<Float>) {
        super.add(batch, model: model)
        guard let targets = batch.valueTargets, let lengths = batch.lengths else { return }
        let logits = model.predictions, B = batch.batch, K = PolyphonicMusicTask.keys
        for b in 0..<B {
            for t in 0..<lengths[b] {
                let row = (t * B + b) * K
                for k in 0..<K {
                    switch (logits[row + k] > 0, targets[row + k] > 0.5) {
                    case (true, true): tp += 1
                    case (true, false): fp += 1
                    case (false, true): fn += 1
                    case (false, false): break
                    }
                }
            }
        }
    }

    override var values: [String: Double] {
        ["loss": meanLoss, "nll": meanLoss, "frame_accuracy": tp + fp + fn > 0 ? tp / (tp + fp + fn) : 0]
    }
}
