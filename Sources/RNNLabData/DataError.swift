/// A data set or data file that cannot be used, with where and why.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// A name that is not in the registry.
    case unknownDataSet(name: String, known: [String], suggestion: String?)
    /// A registered file that is missing or corrupt everywhere it was looked for.
    case unavailable(dataSet: String, file: String, details: [String], expectedSHA256: String, remedy: String)
    /// A file that cannot be read at all.
    case unreadable(path: String, reason: String)
    /// Malformed content, located by file, line (1-based) and column or key when known.
    case malformed(path: String, line: Int?, column: String?, reason: String)
    /// Malformed content of a structured file at a key path, e.g. `splits.train[3][5]`.
    case malformedKey(path: String, key: String, reason: String)
    /// Malformed content at a line and a character column (both 1-based).
    case malformedAt(path: String, line: Int, column: Int, reason: String)
    /// A user's data file a run configuration names by checksum, not found (or changed) where it was looked for.
    case userFileNotFound(name: String, sha256: String, looked: String?)
    /// A user's data file whose checksum is not the one declared for it (`sha256:`, the project's data registry).
    case checksumMismatch(path: String, expected: String, actual: String, declaredIn: String)

    public var description: String {
        switch self {
        case .unknownDataSet(let name, let known, let suggestion):
            return "unknown data set '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " Known data sets: \(known.joined(separator: ", "))."
        case .unavailable(let dataSet, let file, let details, let sha, let remedy):
            return "data set '\(dataSet)': \(file) is not available.\n" + details.map { "  - \($0)" }.joined(separator: "\n")
                + "\n  expected sha256 \(sha)\n  \(remedy)"
        case .unreadable(let path, let reason):
            return "\(path): \(reason)"
        case .malformed(let path, let line, let column, let reason):
            var location = path
            if let line { location += ":\(line)" }
            if let column { location += ": column '\(column)'" }
            return "\(location): \(reason)"
        case .malformedKey(let path, let key, let reason):
            return "\(path): \(key): \(reason)"
        case .malformedAt(let path, let line, let column, let reason):
            return "\(path):\(line):\(column): \(reason)"
        case .userFileNotFound(let name, let sha, let looked):
            return "the data file '\(name)' (sha256 \(sha)) was not found"
                + (looked.map { ": \($0) has changed since it was read" } ?? "")
                + ". Put it where the experiment file or rnnlab-data.yaml says (rnnlab validate names the path)"
                + "; rnnlab eval and rnnlab sample also take it as --data-file."
        case .checksumMismatch(let path, let expected, let actual, let declaredIn):
            return "\(path): sha256 is \(actual), not \(expected) as \(declaredIn) says: the file has changed"
        }
    }
}

/// The candidate nearest to `word` by edit distance (case-insensitive), if it
/// is close enough to be a likely misspelling; for "did you mean" hints.
public func nearest(_ word: String, in candidates: [String]) -> String? {
    func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
    guard let best = candidates.min(by: { distance(word, $0) < distance(word, $1) }) else { return nil }
    return distance(word, best) <= max(2, word.count / 3) ? best : nil
}
