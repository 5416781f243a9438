import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// Next-symbol prediction on the embedded Reber grammar (Fahlman 1991;
/// Hochreiter & Schmidhuber 1997).
///
/// Symbols B T P S X V E. An embedded string is B, then T or P, then a Reber
/// string (B … E), then the same T or P again, then E: predicting the
/// second-to-last symbol needs a memory across the whole inner string. At each
/// step the model predicts the *set* of legal next symbols (7 sigmoid units,
/// cross-entropy summed over units, averaged over steps). A string is solved
/// when, at every step, the symbols with p > 0.5 are exactly the legal ones.
/// Baseline: each symbol's frequency of being legal in the training split.
public struct EmbeddedReber: SequenceTask {
    public static let alphabet: [Character] = ["B", "T", "P", "S", "X", "V", "E"]
    public var trainingExamples: Int
    public var evaluationExamples: Int
    public var dataSeed: UInt64

    public init(trainingExamples: Int = TaskSpecification.defaultReberTrainingExamples,
                evaluationExamples: Int = TaskSpecification.defaultEvaluationExamples, dataSeed: UInt64 = 0) {
        self.trainingExamples = trainingExamples
        self.evaluationExamples = evaluationExamples
        self.dataSeed = dataSeed
    }

    public var name: String { "embedded_reber" }
    public var input: SequenceInput { .oneHot(vocabulary: 7) }
    public var head: SequenceHead { .binaryPerStep(units: 7) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("loss", lowerIsBetter: true, "cross-entropy per step summed over the 7 symbols, nats"),
         MetricDefinition("string_accuracy", lowerIsBetter: false, "fraction of strings predicted right at every step"),
         MetricDefinition("long_range_accuracy", lowerIsBetter: false, "fraction of strings whose second-to-last symbol is predicted")]
    }

    // Reber grammar: node → [(symbol, next node)]; node 6 emits E.
    private static let transitions: [Int: [(Int, Int)]] = [
        1: [(1, 2), (2, 3)], 2: [(3, 2), (4, 4)], 3: [(1, 3), (5, 5)], 4: [(4, 3), (3, 6)], 5: [(2, 4), (5, 6)],
    ]
    private static func legal(after node: Int) -> Set<Int> {
        node == 6 ? [6] : Set(transitions[node, default: []].map(\.0))
    }

    /// One string: the input symbols (all but the final E) and, per step, the legal next symbols.
    public func example(_ index: Int, split: EvaluationSplit?) -> (symbols: [Int32], legal: [Set<Int>]) {
        var random = RandomStream(seed: dataSeed &+ UInt64(index), stream: "reber/\(split?.rawValue ?? "training")")
        var symbols: [Int32] = [0], legal: [Set<Int>] = [[1, 2]]       // B → {T, P}
        let branch = random.index(below: 2) == 0 ? 1 : 2               // T or P
        symbols.append(Int32(branch)); legal.append([0])                // → inner B
        symbols.append(0); legal.append([1, 2])                         // inner B → {T, P}
        var node = 1
        while node != 6 {
            let options = EmbeddedReber.transitions[node, default: []]
            let (symbol, next) = options[random.index(below: options.count)]
            symbols.append(Int32(symbol)); legal.append(EmbeddedReber.legal(after: next))
            node = next
        }
        symbols.append(6); legal.append([branch])                       // inner E → the same T or P
        symbols.append(Int32(branch)); legal.append([6])                // → final E (not an input)
        return (symbols, legal)
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        ExampleSource(trainingCount: trainingExamples, validationCount: evaluationExamples,
                      testCount: evaluationExamples, batchSize: batchSize, batch: { split, indices in
            let examples = indices.map { example($0, split: split) }
            let B = examples.count, T = examples.map(\.symbols.count).max() ?? 0
            var tokens = [Int32](repeating: 0, count: T * B)
            let targets = Tensor<Float>(shape: [T * B, 7])
            for (b, e) in examples.enumerated() {
                for t in 0..<e.symbols.count {
                    tokens[t * B + b] = e.symbols[t]
                    for s in e.legal[t] { targets[(t * B + b) * 7 + s] = 1 }
                }
            }
            return SequenceBatch(steps: T, batch: B, tokens: tokens, lengths: examples.map(\.symbols.count),
                                 valueTargets: targets)
        }, metrics: { ReberMetrics() })
    }

    /// Legal-symbol frequencies from the training split, evaluated on `split`.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        var counts = [Double](repeating: 0, count: 7), steps = 0.0
        for index in 0..<trainingExamples {
            for set in example(index, split: nil).legal { for s in set { counts[s] += 1 }; steps += 1 }
        }
        let p = counts.map { $0 / steps }
        var loss = 0.0, evaluatedSteps = 0.0, solved = 0, longRange = 0
        for index in 0..<evaluationExamples {
            let e = example(index, split: split)
            var allRight = true
            for set in e.legal {
                for s in 0..<7 {
                    let y = set.contains(s)
                    loss -= Double.log(y ? p[s] : 1 - p[s])
                    if (p[s] > 0.5) != y { allRight = false }
                }
                evaluatedSteps += 1
            }
            if allRight { solved += 1 }
            if let last = e.legal.dropLast().last, last.allSatisfy({ p[$0] > 0.5 }),
               (0..<7).allSatisfy({ last.contains($0) || p[$0] <= 0.5 }) { longRange += 1 }
        }
        let n = Double(evaluationExamples)
        return ["loss": loss / evaluatedSteps, "string_accuracy": Double(solved) / n, "long_range_accuracy": Double(longRange) / n]
    }
}

/// Per-string accuracy of the legal-symbol predictions.
final class ReberMetrics: MetricSet<Float> {
    private var strings = 0, solved = 0, longRange = 0

    override func add(_ batch: SequenceBatch<Float>, model: any SequencePredictions<Float>) {
        super.add(batch, model: model)
        guard let targets = batch.valueTargets, let lengths = batch.lengths else { return }
        let p = model.predictions   // logits [T·B, 7]: p > 0.5 ⇔ logit > 0
        let B = batch.batch
        for b in 0..<B {
            var allRight = true, lastRight = false
            for t in 0..<lengths[b] {
                var stepRight = true
                for s in 0..<7 where (p[(t * B + b) * 7 + s] > 0) != (targets[(t * B + b) * 7 + s] > 0.5) { stepRight = false }
                if !stepRight { allRight = false }
                if t == lengths[b] - 2 { lastRight = stepRight }
            }
            strings += 1
            if allRight { solved += 1 }
            if lastRight { longRange += 1 }
        }
    }

    override var values: [String: Double] {
        ["loss": meanLoss, "string_accuracy": strings > 0 ? Double(solved) / Double(strings) : .nan,
         "long_range_accuracy": strings > 0 ? Double(longRange) / Double(strings) : .nan]
    }
}
