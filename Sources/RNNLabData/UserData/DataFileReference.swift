import Foundation

/// Fractions of a corpus without official splits that go to training, validation and test
/// (in file order for text, after a seeded shuffle for labelled examples).
public struct SplitFractions: Codable, Hashable, Sendable, CustomStringConvertible {
    public var training: Double
    public var validation: Double
    public var test: Double

    public init(training: Double, validation: Double, test: Double) {
        self.training = training
        self.validation = validation
        self.test = test
    }

    /// 90/5/5, the split of the registered corpora without official splits.
    public static let standard = SplitFractions(training: 0.9, validation: 0.05, test: 0.05)

    public var description: String { "\(training)/\(validation)/\(test)" }

    /// The three parts of `count` items: [0, a), [a, b), [b, count).
    public func boundaries(_ count: Int) -> (Int, Int) {
        let total = training + validation + test
        let a = Int((Double(count) * training / total).rounded(.down))
        let b = Int((Double(count) * (training + validation) / total).rounded(.down))
        return (a, max(a, b))
    }
}

/// The character encoding of a user's text file.
public enum TextFileEncoding: String, Codable, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case latin1 = "latin-1"
    case windows1252 = "windows-1252"
    case utf16 = "utf-16"
}

/// How a user's text corpus becomes text: its encoding, lower-casing, the characters to keep, its split.
public struct TextFileOptions: Codable, Hashable, Sendable {
    public var encoding: TextFileEncoding
    public var lowercase: Bool
    /// The characters to keep (every other character is removed); nil keeps every character.
    public var keep: String?
    public var splits: SplitFractions

    public init(encoding: TextFileEncoding = .utf8, lowercase: Bool = false, keep: String? = nil, splits: SplitFractions = .standard) {
        self.encoding = encoding
        self.lowercase = lowercase
        self.keep = keep
        self.splits = splits
    }
}

/// One class's file of a labelled data set given as one file per class.
public struct ClassFile: Codable, Hashable, Sendable {
    public var label: String
    public var sha256: String

    public init(label: String, sha256: String) {
        self.label = label
        self.sha256 = sha256
    }
}

/// The format of a user's data file and the options it is read with.
public enum DataFileFormat: Codable, Hashable, Sendable {
    /// Plain text for language models.
    case text(TextFileOptions)
    /// Piano-roll JSON with its own train, valid and test splits.
    case pianoRoll
    /// A TSV file with a header; texts and labels chosen by column name.
    case labelledTSV(textColumn: String, labelColumn: String, splits: SplitFractions)
    /// One text file per class, one example per non-blank line; `classes` in label order.
    case classFiles(classes: [ClassFile], splits: SplitFractions)
    /// A CSV series with a header; the value column and an optional date column, cut 70/15/15 in time order.
    case csvSeries(valueColumn: String, dateColumn: String?)

    /// The name used on the command line and in the project's data registry.
    public var name: String {
        switch self {
        case .text: "text"
        case .pianoRoll: "piano_roll"
        case .labelledTSV: "tsv"
        case .classFiles: "class_files"
        case .csvSeries: "csv"
        }
    }

    /// The names of every format (`rnnlab data add --format`).
    public static let names = ["text", "piano_roll", "tsv", "csv"]
}

/// A user's data file as a run configuration holds it: a name for reports, the SHA-256 of its bytes
/// (so a changed file gives new run ids) and the format with its options. Where the file lies is not
/// part of it: a file is found by its checksum (`UserDataLocations`, `DataDirectory.locate`), so
/// moving a project or a file keeps the run ids.
public struct DataFileReference: Codable, Hashable, Sendable {
    public var name: String
    /// The SHA-256 of the file (lowercase hex); for one file per class, of the classes' labels and checksums.
    public var sha256: String
    public var format: DataFileFormat

    public init(name: String, sha256: String, format: DataFileFormat) {
        self.name = name
        self.sha256 = sha256
        self.format = format
    }

    /// The checksums of the files to locate: the file's own, or each class file's.
    public var fileChecksums: [String] {
        if case .classFiles(let classes, _) = format { return classes.map(\.sha256) }
        return [sha256]
    }

    /// The checksum that stands for a set of class files.
    public static func checksum(ofClasses classes: [ClassFile]) -> String {
        SHA256.hex(of: Data(classes.map { "\($0.label)\t\($0.sha256)\n" }.joined().utf8))
    }
}
