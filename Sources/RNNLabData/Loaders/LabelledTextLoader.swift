import Foundation

/// Texts with class labels (sentiment data sets).
public struct LabelledText: Equatable, Sendable {
    public var texts: [String]
    /// Class indices into `labelNames`.
    public var labels: [Int]
    public var labelNames: [String]

    /// A TSV file with a header row; `textColumn` and `labelColumn` are chosen
    /// by name. Labels are numbered in sorted order of their values ("0" < "1").
    /// CRLF is accepted and blank lines are skipped.
    public static func loadTSV(contentsOf url: URL, textColumn: String = "sentence", labelColumn: String = "label") throws -> LabelledText {
        let lines = try TextCorpus.load(contentsOf: url).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw DataError.malformed(path: url.path, line: 1, column: nil, reason: "empty file: expected a header row")
        }
        func column(_ name: String) throws -> Int {
            if let index = header.firstIndex(of: name) { return index }
            let hint = nearest(name, in: header).map { "; did you mean '\($0)'?" } ?? ""
            throw DataError.malformed(path: url.path, line: 1, column: name,
                                      reason: "no such column (the header has \(header.joined(separator: ", ")))\(hint)")
        }
        let (textIndex, labelIndex) = (try column(textColumn), try column(labelColumn))
        var texts: [String] = [], rawLabels: [String] = []
        for (number, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw DataError.malformed(path: url.path, line: number + 1, column: nil,
                                          reason: "\(fields.count) fields where the header has \(header.count)")
            }
            let label = fields[labelIndex].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else {
                throw DataError.malformed(path: url.path, line: number + 1, column: labelColumn, reason: "empty label")
            }
            texts.append(fields[textIndex])
            rawLabels.append(label)
        }
        let names = Array(Set(rawLabels)).sorted()
        return LabelledText(texts: texts, labels: rawLabels.map { names.firstIndex(of: $0) ?? 0 }, labelNames: names)
    }

    /// One file per class; every non-blank line is an example. Classes are
    /// numbered in the order given.
    public static func loadOneFilePerClass(_ files: [(label: String, url: URL)]) throws -> LabelledText {
        var result = LabelledText(texts: [], labels: [], labelNames: files.map(\.label))
        for (index, file) in files.enumerated() {
            for line in try TextCorpus.load(contentsOf: file.url).split(separator: "\n")
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                result.texts.append(String(line))
                result.labels.append(index)
            }
        }
        return result
    }
}
