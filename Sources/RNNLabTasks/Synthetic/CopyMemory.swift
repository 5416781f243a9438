import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// The copy-memory task (Arjovsky, Shah & Bengio 2016), parameterised by the
/// delay T.
///
/// Symbols: 0 blank, 1…8 data, 9 delimiter. The input is 10 data symbols, T − 1
/// blanks, the delimiter, and 10 blanks (T + 20 steps); the target is T + 10
/// blanks followed by the 10 data symbols. The loss is the cross-entropy per
/// step over all T + 20 steps. The memoryless baseline predicts blank for the
/// first T + 10 steps and a uniform guess among the 8 symbols for the last 10:
/// 10·ln 8 / (T + 20).
public struct CopyMemory: SequenceTask {
    public var delay: Int
    public var trainingExamples: Int
    public var evaluationExamples: Int
    public var dataSeed: UInt64
    public static let symbols = 8
    public static let copied = 10

    public init(delay: Int, trainingExamples: Int = TaskSpecification.defaultTrainingExamples,
                evaluationExamples: Int = TaskSpecification.defaultEvaluationExamples, dataSeed: UInt64 = 0) {
        precondition(delay >= 1, "the copy task needs a delay of at least 1")
        self.delay = delay
        self.trainingExamples = trainingExamples
        self.evaluationExamples = evaluationExamples
        self.dataSeed = dataSeed
    }

    public var name: String { "copy_memory" }
    public var steps: Int { delay + 2 * CopyMemory.copied }
    public var input: SequenceInput { .oneHot(vocabulary: CopyMemory.symbols + 2) }
    public var head: SequenceHead { .classPerStep(classes: CopyMemory.symbols + 1) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("loss", lowerIsBetter: true, "cross-entropy per step, nats"),
         MetricDefinition("accuracy", lowerIsBetter: false, "fraction of steps predicted exactly")]
    }

    /// One example's input and target symbols.
    public func example(_ index: Int, split: EvaluationSplit?) -> (input: [Int32], target: [Int32]) {
        var random = RandomStream(seed: dataSeed &+ UInt64(index), stream: "copy/\(split?.rawValue ?? "training")")
        let data = (0..<CopyMemory.copied).map { _ in Int32(1 + random.index(below: CopyMemory.symbols)) }
        var input = data + [Int32](repeating: 0, count: delay - 1) + [Int32(CopyMemory.symbols + 1)]
        input += [Int32](repeating: 0, count: CopyMemory.copied)
        let target = [Int32](repeating: 0, count: delay + CopyMemory.copied) + data
        return (input, target)
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        let T = steps
        return ExampleSource(trainingCount: trainingExamples, validationCount: evaluationExamples,
                             testCount: evaluationExamples, batchSize: batchSize, batch: { split, indices in
            let B = indices.count
            var tokens = [Int32](repeating: 0, count: T * B), targets = tokens
            for (b, index) in indices.enumerated() {
                let e = example(index, split: split)
                for t in 0..<T { tokens[t * B + b] = e.input[t]; targets[t * B + b] = e.target[t] }
            }
            return SequenceBatch(steps: T, batch: B, tokens: tokens, classTargets: targets)
        }, metrics: { ClassificationMetrics() })
    }

    /// The memoryless strategy: loss 10·ln 8/(T + 20); its accuracy counts the
    /// blanks it gets right plus one in eight of the copied symbols.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        let T = Double(steps), n = Double(CopyMemory.copied)
        return ["loss": n * Double.log(Double(CopyMemory.symbols)) / T,
                "accuracy": (T - n + n / Double(CopyMemory.symbols)) / T]
    }
}
