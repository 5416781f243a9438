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
    /// sentiment, a CSV (its `column`) for forecasting. Texts are tokenized with `file.unknown`.
    public func evaluate(_ run: RunFile, on file: EvaluationFile, data: DataDirectory) throws -> EvaluationResult {
        let (url, split, column) = (file.url, file.split, file.column)
        let (model, task) = try run.makeModel(data: data)
        let batches: [SequenceBatch<Float>]
        let metrics: MetricSet<Float>
        var tokenized: (policy: UnknownSymbolPolicy, texts: [TokenizedText])?
        switch task {
        case let lm as LanguageModelTask:
            guard let tokenizer = run.tokenizer else { throw TaskError.invalid("\(run.runID) stores no tokenizer") }
            let policy = file.unknown ?? .default(for: tokenizer)
            let text = try tokenizer.encode(try TextCorpus.load(contentsOf: url), source: url.path, unknown: policy)
            tokenized = (policy, [text])
            let stream = text.ids
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
            let policy = file.unknown ?? .default(for: tokenizer)
            let texts = try labelled.texts.enumerated().map { index, text in
                do { return try tokenizer.encode(text, source: url.path, unknown: policy) } catch DataError.malformed(let path, _, _, let reason) {
                    throw DataError.malformed(path: path, line: nil, column: nil, reason: "example \(index + 1): \(reason)")
                }
            }
            tokenized = (policy, texts)
            let examples = zip(texts, labelled.labels).map {
                SentimentTask.Example(tokens: $0.0.ids, label: Int(labelled.labelNames[$0.1]) ?? $0.1)
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
        // Streaming evaluation runs the scan cells (minGRU, minLSTM) in their sequential form, with the carried state.
        let scanMode = model.network.scanMode
        model.network.scanMode = .sequential
        defer { model.network.scanMode = scanMode }
        for batch in batches {
            let carry = batch.continuesPrevious
            model.forward(batch, initialHidden: carry ? hidden : nil, initialCell: carry ? cell : nil)
            metrics.add(batch, model: model)
            hidden = model.network.finalHidden.clone()
            cell = model.configuration.recurrent.cell.hasCellState ? model.network.finalCell.clone() : nil
        }
        guard let tokenized else { return EvaluationResult(metrics: metrics.values) }
        var symbols: [String] = [], seen: Set<String> = []
        for symbol in tokenized.texts.flatMap(\.unknownSymbols) where seen.insert(symbol).inserted { symbols.append(symbol) }
        return EvaluationResult(metrics: metrics.values, unknownPolicy: tokenized.policy,
                                unknownCount: tokenized.texts.reduce(0) { $0 + $1.unknownCount }, unknownSymbols: symbols)
    }
}
