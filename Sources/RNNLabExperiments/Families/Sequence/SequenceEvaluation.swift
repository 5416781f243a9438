import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

extension SequenceFamily {
    /// Evaluates `run` on `file`: a UTF-8 text for language models, a piano-roll
    /// JSON (its `split`) for music, a TSV with `sentence` and `label` columns for
    /// sentiment, a CSV (its `column`) for forecasting.
    public func evaluate(_ run: RunFile, on file: EvaluationFile, data: DataDirectory) throws -> [String: Double] {
        let (url, split, column) = (file.url, file.split, file.column)
        let (model, task) = try run.makeModel(data: data)
        let batches: [SequenceBatch<Float>]
        let metrics: MetricSet<Float>
        switch task {
        case let lm as LanguageModelTask:
            guard let tokenizer = run.tokenizer else { throw TaskError.invalid("\(run.runID) stores no tokenizer") }
            let stream = try tokenizer.encode(try TextCorpus.load(contentsOf: url))
            guard stream.count > 1 else { throw TaskError.invalid("\(url.path) holds fewer than two tokens") }
            batches = StreamBatcher.sequential(stream: stream, batch: 1, steps: lm.steps)
            metrics = LanguageModelMetrics()
        case let music as PolyphonicMusicTask:
            let rolls = try PianoRollDataSet.load(contentsOf: url)
            guard let sequences = rolls.splits[split], !sequences.isEmpty else {
                throw TaskError.invalid("\(url.path) has no split '\(split)' (splits: \(rolls.splits.keys.sorted().joined(separator: ", ")))")
            }
            let other = try PolyphonicMusicTask(name: music.name, training: sequences, validation: sequences, test: sequences)
            batches = other.makeSource(batchSize: 16).evaluationBatches(.test)
            metrics = other.makeSource(batchSize: 16).makeMetrics()
        case let sentiment as SentimentTask:
            guard let tokenizer = run.tokenizer else { throw TaskError.invalid("\(run.runID) stores no tokenizer") }
            let labelled = try LabelledText.loadTSV(contentsOf: url)
            let examples = try zip(labelled.texts, labelled.labels).map {
                SentimentTask.Example(tokens: try tokenizer.encode($0.0), label: Int(labelled.labelNames[$0.1]) ?? $0.1)
            }.filter { !$0.tokens.isEmpty }
            let other = try SentimentTask(name: sentiment.name, vocabularySize: sentiment.vocabularySize, classes: sentiment.classes,
                                          training: examples, validation: examples, test: examples,
                                          embeddingDimension: sentiment.embeddingDimension)
            batches = other.makeSource(batchSize: 64).evaluationBatches(.test)
            metrics = ClassificationMetrics()
        case let series as ForecastingTask:
            let values = try TimeSeries.load(contentsOf: url, column: column ?? "value").values
            guard values.count > series.window else {
                throw TaskError.invalid("\(url.path) has \(values.count) values, fewer than the window + 1 = \(series.window + 1)")
            }
            batches = series.batches(forSeries: values, batchSize: 64)
            metrics = series.makeSource(batchSize: 64).makeMetrics()
        default:
            throw TaskError.invalid("\(run.runID): evaluating \(task.name) runs on other files is not supported (generated task)")
        }
        var hidden: Tensor<Float>?, cell: Tensor<Float>?
        for batch in batches {
            let carry = batch.continuesPrevious
            model.forward(batch, initialHidden: carry ? hidden : nil, initialCell: carry ? cell : nil)
            metrics.add(batch, model: model)
            hidden = model.network.finalHidden.clone()
            cell = model.configuration.recurrent.cell.hasCellState ? model.network.finalCell.clone() : nil
        }
        return metrics.values
    }
}
