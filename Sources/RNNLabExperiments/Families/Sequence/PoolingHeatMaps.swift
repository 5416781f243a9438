import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks

/// Attention-pooling weights over the words of a few test sentences.
extension SequenceFamily {
    /// For a sentiment run with the attention readout: one single-row heat map per
    /// sentence (the first `count` test sentences of 5 to 20 words); none otherwise.
    static func poolingHeatMaps(of file: RunFile, data: DataDirectory, count: Int = 3) -> [HeatMapExample] {
        guard case .sentiment = file.configuration.task, file.configuration.model.readout == .attentionPool,
              let tokenizer = file.tokenizer,
              let (model, task) = try? file.makeModel(data: data), let sentiment = task as? SentimentTask,
              let pooling = model.pooling else { return [] }
        let chosen = sentiment.test.filter { (5...20).contains($0.tokens.count) }.prefix(count)
        return chosen.enumerated().map { k, example in
            model.forward(SentimentTask.batch([example]))
            let weights = pooling.weights.array.map(Double.init)
            let logits = model.predictions.array
            let predicted = logits.indices.max { logits[$0] < logits[$1] } ?? 0
            let verdict = predicted == example.label ? "correct" : "wrong"
            let words = example.tokens.map { tokenizer.decode([$0]) }
            return HeatMapExample(kind: .pooling, number: k + 1,
                                  title: "label \(example.label), predicted \(predicted) (\(verdict))",
                                  caption: "run `\(file.runID)`: \"\(words.joined(separator: " ").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;"))\" (label \(example.label), \(verdict))",
                                  sourceTokens: words, outputTokens: ["α"], weights: [weights])
        }
    }
}
