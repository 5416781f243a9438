import Foundation
import RNNLabData
import RNNLabNumerics

/// What reading a user's data file found, for the checks made before any run starts.
public struct UserDataSummary: Equatable, Sendable {
    /// Language-model text: the characters and the whitespace words (plus one per line, for `<eos>`) of each split.
    public var characters: [Int] = []
    public var words: [Int] = []
    public var lines: [Int] = []
    /// Examples (labelled text), sequences (piano rolls) or values (series) per split, or in all.
    public var items: [Int] = []
}

extension TaskCatalog {
    /// Reads a user's data file the way its task will (`urls` are its files, located and checked), so that a bad
    /// file is reported before any run starts; returns the sizes the checks of batch sizes need.
    public static func validateUserData(_ reference: DataFileReference, urls: [URL]) throws -> UserDataSummary {
        var summary = UserDataSummary()
        switch reference.format {
        case .text(let options):
            let texts = try userText(options, urls: urls)
            for text in [texts.0, texts.1, texts.2] {
                summary.characters.append(text.count)
                summary.words.append(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count)
                summary.lines.append(text.split(separator: "\n").count)
            }
        case .pianoRoll:
            let rolls = try PianoRollDataSet.load(contentsOf: urls[0])
            summary.items = ["train", "valid", "test"].map { rolls.splits[$0]?.count ?? 0 }
            for (index, split) in ["train", "valid", "test"].enumerated() where summary.items[index] == 0 {
                throw DataError.malformedKey(path: urls[0].path, key: "splits.\(split)", reason: "no sequences: every split needs at least one")
            }
        case .labelledTSV, .classFiles:
            let (training, validation, test, _) = try userLabelled(reference, urls: urls)
            summary.items = [training.count, validation.count, test.count]
            for (count, split) in zip(summary.items, ["training", "validation", "test"]) where count == 0 {
                throw DataError.malformed(path: urls[0].path, line: nil, column: nil,
                                          reason: "the \(split) split is empty (\(training.count + validation.count + test.count) examples in all): "
                                              + "use a larger file or other split fractions")
            }
        case .csvSeries(let value, let date):
            summary.items = [try TimeSeries.load(contentsOf: urls[0], column: value, timeColumn: date).values.count]
        }
        return summary
    }

    /// The three splits of a user's text, after its encoding, lower-casing and characters to keep.
    static func userText(_ options: TextFileOptions, urls: [URL]) throws -> (String, String, String) {
        var text = try TextCorpus.load(contentsOf: urls[0], encoding: options.encoding)
        if options.lowercase { text = text.lowercased() }
        if let keep = options.keep {
            let kept = Set(keep)
            text = String(text.filter { kept.contains($0) || $0 == "\n" && kept.contains(" ") })
        }
        let characters = Array(text)
        let (a, b) = options.splits.boundaries(characters.count)
        return (String(characters[..<a]), String(characters[a..<b]), String(characters[b...]))
    }

    /// The examples of a user's labelled data (TSV or one file per class), shuffled with a fixed seed (0) and
    /// cut by the split fractions, and the number of classes.
    static func userLabelled(_ reference: DataFileReference, urls: [URL]) throws
        -> ([(text: String, label: Int)], [(text: String, label: Int)], [(text: String, label: Int)], Int) {
        let labelled: LabelledText, splits: SplitFractions
        switch reference.format {
        case .labelledTSV(let textColumn, let labelColumn, let fractions):
            labelled = try LabelledText.loadTSV(contentsOf: urls[0], textColumn: textColumn, labelColumn: labelColumn)
            splits = fractions
        case .classFiles(let classes, let fractions):
            labelled = try LabelledText.loadOneFilePerClass(zip(classes, urls).map { ($0.label, $1) })
            splits = fractions
        default:
            throw TaskError.invalid("\(reference.name) is \(reference.format.name) data, not labelled text")
        }
        var items = zip(labelled.texts, labelled.labels).map { (text: $0, label: $1) }
        var random = RandomStream(seed: 0, stream: "user-split")
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, random.index(below: i + 1)) }
        let (a, b) = splits.boundaries(items.count)
        return (Array(items[..<a]), Array(items[a..<b]), Array(items[b...]), max(labelled.labelNames.count, 2))
    }
}
