import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// Language-modelling metrics: mean NLL per token in nats (`loss`),
/// perplexity = exp(loss), and bits per token = loss / ln 2 (bits per
/// character for character models).
public final class LanguageModelMetrics: MetricSet<Float> {
    public override var values: [String: Double] {
        ["loss": meanLoss, "perplexity": Double.exp(meanLoss), "bits_per_token": meanLoss / Double.log(2)]
    }
}

/// Classification metrics: mean cross-entropy (`loss`) and accuracy, the
/// fraction of counted targets whose arg-max prediction is the target.
public final class ClassificationMetrics: MetricSet<Float> {
    private var correct = 0, counted = 0

    public override func add(_ batch: SequenceBatch<Float>, model: any SequencePredictions<Float>) {
        super.add(batch, model: model)
        guard let targets = batch.classTargets else { return }
        let logits = model.predictions
        let classes = logits.count / max(targets.count, 1)
        for (row, target) in targets.enumerated() where target >= 0 {
            let z = logits.data + row * classes
            var best = 0
            for j in 1..<classes where z[j] > z[best] { best = j }
            if best == Int(target) { correct += 1 }
            counted += 1
        }
    }

    public override var values: [String: Double] {
        ["loss": meanLoss, "accuracy": counted > 0 ? Double(correct) / Double(counted) : .nan]
    }
}

/// Regression metrics: mean squared error (`loss`, = `mse`) and mean absolute
/// error over every predicted element.
public final class RegressionMetrics: MetricSet<Float> {
    private var absoluteTotal = 0.0, count = 0

    public override func add(_ batch: SequenceBatch<Float>, model: any SequencePredictions<Float>) {
        super.add(batch, model: model)
        guard let targets = batch.valueTargets else { return }
        let predictions = model.predictions
        for i in 0..<min(targets.count, predictions.count) {
            absoluteTotal += abs(Double(predictions[i]) - Double(targets[i]))
        }
        count += targets.count
    }

    public override var values: [String: Double] {
        ["loss": meanLoss, "mse": meanLoss, "mae": count > 0 ? absoluteTotal / Double(count) : .nan]
    }
}
