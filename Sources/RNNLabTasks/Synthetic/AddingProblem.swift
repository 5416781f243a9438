import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015;
/// Arjovsky et al. 2016), parameterised by the sequence length T.
///
/// Each step has two features: a value from U[0, 1] and a marker. Exactly two
/// steps are marked, one in the first half and one in the second; the target
/// is the sum of the two marked values, read from the final state, with mean
/// squared error. Always predicting 1 has expected MSE Var(u₁ + u₂) = 1/6: the
/// baseline.
public struct AddingProblem: SequenceTask {
    public var length: Int
    public var trainingExamples: Int
    public var evaluationExamples: Int
    /// The seed of the generated data, fixed across the runs of a comparison.
    public var dataSeed: UInt64

    public init(length: Int, trainingExamples: Int = TaskSpecification.defaultTrainingExamples,
                evaluationExamples: Int = TaskSpecification.defaultEvaluationExamples, dataSeed: UInt64 = 0) {
        precondition(length >= 2, "the adding problem needs at least 2 steps")
        self.length = length
        self.trainingExamples = trainingExamples
        self.evaluationExamples = evaluationExamples
        self.dataSeed = dataSeed
    }

    public var name: String { "adding" }
    public var input: SequenceInput { .dense(features: 2) }
    public var head: SequenceHead { .regressionPerSequence(outputs: 1) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("mse", lowerIsBetter: true, "mean squared error of the sum"),
         MetricDefinition("mae", lowerIsBetter: true, "mean absolute error of the sum"),
         MetricDefinition("loss", lowerIsBetter: true, "the same as mse")]
    }

    /// One example: values and markers per step, and the target sum.
    public func example(_ index: Int, split: EvaluationSplit?) -> (values: [Double], markers: [Int], target: Double) {
        var random = RandomStream(seed: dataSeed &+ UInt64(index), stream: "adding/\(split?.rawValue ?? "training")")
        let values = (0..<length).map { _ in random.nextUnit() }
        let half = length / 2
        let first = random.index(below: half), second = half + random.index(below: length - half)
        var markers = [Int](repeating: 0, count: length)
        markers[first] = 1
        markers[second] = 1
        return (values, markers, values[first] + values[second])
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        let T = length
        return ExampleSource(trainingCount: trainingExamples, validationCount: evaluationExamples,
                             testCount: evaluationExamples, batchSize: batchSize, batch: { split, indices in
            let B = indices.count
            let features = Tensor<Float>(shape: [T * B, 2])
            let targets = Tensor<Float>(shape: [B, 1])
            for (b, index) in indices.enumerated() {
                let e = example(index, split: split)
                for t in 0..<T {
                    features[(t * B + b) * 2] = Float(e.values[t])
                    features[(t * B + b) * 2 + 1] = Float(e.markers[t])
                }
                targets[b] = Float(e.target)
            }
            return SequenceBatch(steps: T, batch: B, features: features, valueTargets: targets)
        }, metrics: { RegressionMetrics() })
    }

    /// Predicting 1 always: the exact MSE and MAE on the split's examples.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        var squared = 0.0, absolute = 0.0
        for index in 0..<evaluationExamples {
            let d = example(index, split: split).target - 1
            squared += d * d
            absolute += abs(d)
        }
        let n = Double(evaluationExamples)
        return ["loss": squared / n, "mse": squared / n, "mae": absolute / n]
    }
}
