import Foundation
import RNNLabData
import RNNLabRunStore

/// Metrics of a stored run's final weights on another file of its task's format.
public enum Evaluation {
    /// Evaluates `run` on `url` with its family's evaluation (sequence models: a UTF-8 text for
    /// language models, a piano-roll JSON (its `split`) for music, a TSV with `sentence` and `label`
    /// columns for sentiment, a CSV (its `column`) for forecasting); `unknown` decides what tokenizing the
    /// file does with symbols the run's tokenizer has no id for (nil: the tokenizer's default).
    public static func evaluate(_ run: RunFile, on url: URL, split: String = "test", column: String? = nil,
                                unknown: UnknownSymbolPolicy? = nil, data: DataDirectory) throws -> EvaluationResult {
        try ModelFamilies.family(for: run.configuration)
            .evaluate(run, on: EvaluationFile(url: url, split: split, column: column, unknown: unknown), data: data)
    }
}
