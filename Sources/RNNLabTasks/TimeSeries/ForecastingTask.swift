import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// Windowed one-step forecasting of a univariate series.
///
/// The series is split in time order into training, validation and test parts.
/// Values are standardised with the mean and standard deviation of the
/// training part only. An example is a window of `window` consecutive values;
/// its target is the next value, predicted from the final state (MSE on the
/// standardised scale). A window belongs to the split of its target, so
/// validation and test windows may read values from the part before them.
/// Metrics are reported in the series' own units; the baseline is the naive
/// forecast "next = last".
public struct ForecastingTask: SequenceTask {
    public let name: String
    public let series: [Double]
    public let window: Int
    /// Index of the first validation target and of the first test target.
    public let validationStart: Int
    public let testStart: Int
    /// Standardisation fitted on the training part.
    public let mean: Double
    public let standardDeviation: Double

    /// - Parameter fractions: the training and validation shares of the series (the rest is test).
    public init(name: String, series: [Double], window: Int, fractions: (training: Double, validation: Double) = (0.7, 0.15)) throws {
        guard window >= 1 else { throw TaskError.invalid("window must be at least 1, got \(window)") }
        let validationStart = Int((Double(series.count) * fractions.training).rounded())
        let testStart = Int((Double(series.count) * (fractions.training + fractions.validation)).rounded())
        guard validationStart > window, testStart > validationStart, series.count > testStart else {
            throw TaskError.invalid("series '\(name)' of \(series.count) values is too short for window \(window) and splits \(fractions)")
        }
        self.name = name
        self.series = series
        self.window = window
        self.validationStart = validationStart
        self.testStart = testStart
        let training = series[0..<validationStart]
        let mean = training.reduce(0, +) / Double(training.count)
        let variance = training.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(training.count)
        self.mean = mean
        self.standardDeviation = variance > 0 ? variance.squareRoot() : 1
    }

    public var input: SequenceInput { .dense(features: 1) }
    public var head: SequenceHead { .regressionPerSequence(outputs: 1) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("mse", lowerIsBetter: true, "mean squared error of the next value, series units²"),
         MetricDefinition("mae", lowerIsBetter: true, "mean absolute error of the next value, series units"),
         MetricDefinition("loss", lowerIsBetter: true, "mean squared error of the standardised series")]
    }

    /// The target indices of a split (nil: training).
    public func targets(_ split: EvaluationSplit?) -> Range<Int> {
        switch split {
        case nil: window..<validationStart
        case .validation: validationStart..<testStart
        case .test: testStart..<series.count
        }
    }

    func standardised(_ i: Int) -> Float { Float((series[i] - mean) / standardDeviation) }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        let (W, scale) = (window, standardDeviation)
        return ExampleSource(trainingCount: targets(nil).count, validationCount: targets(.validation).count,
                             testCount: targets(.test).count, batchSize: batchSize, batch: { split, indices in
            let first = targets(split).lowerBound
            let B = indices.count
            let features = Tensor<Float>(shape: [W * B, 1]), values = Tensor<Float>(shape: [B, 1])
            for (b, index) in indices.enumerated() {
                let target = first + index
                for t in 0..<W { features[t * B + b] = standardised(target - W + t) }
                values[b] = standardised(target)
            }
            return SequenceBatch(steps: W, batch: B, features: features, valueTargets: values)
        }, metrics: { ScaledRegressionMetrics(scale: scale) })
    }

    /// Every window of another series, standardised with this task's training
    /// statistics (for evaluating a trained model on new data).
    public func batches(forSeries values: [Double], batchSize: Int) -> [SequenceBatch<Float>] {
        let W = window
        let targets = Array(W..<max(W, values.count))
        return stride(from: 0, to: targets.count, by: batchSize).map { first in
            let chosen = targets[first..<min(first + batchSize, targets.count)]
            let B = chosen.count
            let features = Tensor<Float>(shape: [W * B, 1]), outputs = Tensor<Float>(shape: [B, 1])
            for (b, target) in chosen.enumerated() {
                for t in 0..<W { features[t * B + b] = Float((values[target - W + t] - mean) / standardDeviation) }
                outputs[b] = Float((values[target] - mean) / standardDeviation)
            }
            return SequenceBatch(steps: W, batch: B, features: features, valueTargets: outputs)
        }
    }

    /// The naive forecast: the next value equals the last one.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        let range = targets(split)
        var squared = 0.0, absolute = 0.0
        for i in range {
            let d = series[i] - series[i - 1]
            squared += d * d
            absolute += abs(d)
        }
        let n = Double(range.count), s = standardDeviation
        return ["loss": squared / n / (s * s), "mse": squared / n, "mae": absolute / n]
    }
}

/// Regression metrics reported in the series' units: `loss` stays on the
/// standardised scale the model is trained on; `mse` and `mae` are scaled back.
final class ScaledRegressionMetrics: MetricSet<Float> {
    let scale: Double
    private var absoluteTotal = 0.0, count = 0

    init(scale: Double) { self.scale = scale }

    override func add(_ batch: SequenceBatch<Float>, model: any SequencePredictions<Float>) {
        super.add(batch, model: model)
        guard let targets = batch.valueTargets else { return }
        for i in 0..<targets.count { absoluteTotal += abs(Double(model.predictions[i]) - Double(targets[i])) }
        count += targets.count
    }

    override var values: [String: Double] {
        ["loss": meanLoss, "mse": meanLoss * scale * scale, "mae": count > 0 ? absoluteTotal / Double(count) * scale : .nan]
    }
}

/// A task that cannot be built from its inputs.
public enum TaskError: Error, CustomStringConvertible, Equatable {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        }
    }
}
