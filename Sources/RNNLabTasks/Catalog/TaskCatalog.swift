import Foundation
import RNNLabData
import RNNLabNumerics

/// Builds tasks from specifications and registered data sets.
///
/// Splits of corpora without official ones are fixed and documented here:
/// Tiny Shakespeare and The Time Machine are cut by characters into the first
/// 90 % (training), the next 5 % (validation) and the last 5 % (test); MR is
/// shuffled with a fixed seed (0) and cut 80/10/10 per class order. PTB,
/// JSB Chorales, Nottingham and SST-2 use their published splits. Time
/// series are cut 70/15/15 in time order.
public enum TaskCatalog {
    /// The value column of each registered series.
    public static let seriesColumns: [String: String] = [
        "sunspots": "Sunspots", "airline_passengers": "Passengers", "daily_min_temperatures": "Temp",
    ]

    /// The task a specification describes, reading its data from `data`.
    public static func make(_ specification: TaskSpecification, data: DataDirectory) throws -> any SequenceTask {
        switch specification {
        case .seq2seq(let task):
            throw TaskError.invalid("\(task.kind.rawValue) is a sequence-to-sequence task: it trains encoder–decoder models (model.kind: seq2seq), not sequence models")
        case .adding(let length, let training, let evaluation):
            return AddingProblem(length: length, trainingExamples: training, evaluationExamples: evaluation)
        case .copyMemory(let delay, let training, let evaluation):
            return CopyMemory(delay: delay, trainingExamples: training, evaluationExamples: evaluation)
        case .embeddedReber(let training, let evaluation):
            return EmbeddedReber(trainingExamples: training, evaluationExamples: evaluation)
        case .sequentialImage(let name, let order, let training, let validation, let test):
            let urls = try data.ensure(try DataRegistry.descriptor(named: name))
            guard urls.count == 4 else { throw TaskError.invalid("\(name) is not an image data set (IDX images and labels)") }
            return try SequentialImageTask(name: name, order: order,
                                           trainingSet: try LabelledImages.load(images: urls[0], labels: urls[1]),
                                           testSet: try LabelledImages.load(images: urls[2], labels: urls[3]),
                                           trainingExamples: training, validationExamples: validation, testExamples: test)
        case .forecasting(let series, let window, let file):
            return try ForecastingTask(name: series, series: try loadSeries(series, data: data, file: file), window: window)
        case .music(let name, let file):
            let urls = try file.map { try data.locate($0) } ?? data.ensure(try DataRegistry.descriptor(named: name))
            let rolls = try PianoRollDataSet.load(contentsOf: urls[0])
            return try PolyphonicMusicTask(name: name, training: rolls.splits["train"] ?? [],
                                           validation: rolls.splits["valid"] ?? [], test: rolls.splits["test"] ?? [])
        case .languageModel(let name, let tokenization, let steps, let partitioning, let embedding, let file):
            let (tokenizer, splits) = try languageModelSplits(name, tokenization: tokenization, data: data, file: file)
            return try LanguageModelTask(name: name, vocabularySize: tokenizer.size, training: splits.0, validation: splits.1,
                                         test: splits.2, steps: steps, partitioning: partitioning, embeddingDimension: embedding,
                                         tokenizer: tokenizer)
        case .sentiment(let name, let embedding, let maxVocabulary, let file):
            let (training, validation, test, classes) = try file.map { try userLabelled($0, urls: try data.locate($0)) }
                ?? sentimentSplits(name, data: data)
            let vocabulary = WordVocabulary(text: training.map(\.text).joined(separator: "\n"), maxSize: maxVocabulary)
            func encode(_ items: [(text: String, label: Int)]) throws -> [SentimentTask.Example] {
                try items.map { SentimentTask.Example(tokens: try vocabulary.encode($0.text), label: $0.label) }
                    .filter { !$0.tokens.isEmpty }
            }
            return try SentimentTask(name: name, vocabularySize: vocabulary.size, classes: classes, training: encode(training),
                                     validation: encode(validation), test: encode(test), embeddingDimension: embedding,
                                     tokenizer: .words(vocabulary))
        }
    }

    /// The tokenizer (trained on the training split) and the three token streams of a corpus
    /// (a registered one, or with `file` a user's text).
    public static func languageModelSplits(_ name: String, tokenization: Tokenization, data: DataDirectory,
                                           file: DataFileReference? = nil) throws
        -> (tokenizer: StoredTokenizer, splits: ([Int32], [Int32], [Int32])) {
        let texts: (String, String, String)
        if let file {
            guard case .text(let options) = file.format else { throw TaskError.invalid("\(file.name) is \(file.format.name) data, not text") }
            texts = try userText(options, urls: try data.locate(file))
        } else {
            let urls = try data.ensure(try DataRegistry.descriptor(named: name))
            if urls.count == 3 {
                texts = (try TextCorpus.load(contentsOf: urls[0]), try TextCorpus.load(contentsOf: urls[1]), try TextCorpus.load(contentsOf: urls[2]))
            } else {
                let all = Array(try TextCorpus.load(contentsOf: urls[0]))
                let a = all.count * 90 / 100, b = all.count * 95 / 100
                texts = (String(all[..<a]), String(all[a..<b]), String(all[b...]))
            }
        }
        let tokenizer: StoredTokenizer
        switch tokenization {
        case .characters:
            // Every character of the corpus, so that no held-out character is unknown.
            tokenizer = .characters(CharacterVocabulary(text: texts.0 + texts.1 + texts.2))
        case .words(let endOfSentence, let maxVocabulary):
            tokenizer = .words(WordVocabulary(text: texts.0, endOfSentence: endOfSentence, maxSize: maxVocabulary))
        case .bytePairs(let merges):
            tokenizer = .bytePairs(BytePairEncoding(training: texts.0, merges: merges))
        }
        return (tokenizer, (try tokenizer.encode(texts.0), try tokenizer.encode(texts.1), try tokenizer.encode(texts.2)))
    }

    static func sentimentSplits(_ name: String, data: DataDirectory) throws
        -> ([(text: String, label: Int)], [(text: String, label: Int)], [(text: String, label: Int)], Int) {
        let urls = try data.ensure(try DataRegistry.descriptor(named: name))
        func pairs(_ labelled: LabelledText) -> [(text: String, label: Int)] { zip(labelled.texts, labelled.labels).map { ($0, $1) } }
        if urls.count == 3 {   // SST-2: train, dev, test
            let splits = try urls.map { try LabelledText.loadTSV(contentsOf: $0) }
            return (pairs(splits[0]), pairs(splits[1]), pairs(splits[2]), max(splits[0].labelNames.count, 2))
        }
        // MR: one file per class (negative = 0, positive = 1), a fixed seeded 80/10/10 split.
        let labelled = try LabelledText.loadOneFilePerClass([("negative", urls[1]), ("positive", urls[0])])
        var random = RandomStream(seed: 0, stream: "mr-split")
        var items = pairs(labelled)
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, random.index(below: i + 1)) }
        let a = items.count * 8 / 10, b = items.count * 9 / 10
        return (Array(items[..<a]), Array(items[a..<b]), Array(items[b...]), 2)
    }

    static func loadSeries(_ name: String, data: DataDirectory, file: DataFileReference? = nil) throws -> [Double] {
        if let file {
            guard case .csvSeries(let value, let date) = file.format else { throw TaskError.invalid("\(file.name) is \(file.format.name) data, not a CSV series") }
            return try TimeSeries.load(contentsOf: try data.locate(file)[0], column: value, timeColumn: date).values
        }
        switch name {
        case "noisy_sine": return SyntheticSeries.noisySine(length: 2_000)
        case "mackey_glass": return SyntheticSeries.mackeyGlass(length: 2_000)
        default:
            guard let column = seriesColumns[name] else {
                let known = Array(seriesColumns.keys).sorted() + ["noisy_sine", "mackey_glass"]
                throw DataError.unknownDataSet(name: name, known: known, suggestion: nil)
            }
            let urls = try data.ensure(try DataRegistry.descriptor(named: name))
            return try TimeSeries.load(contentsOf: urls[0], column: column).values
        }
    }
}
