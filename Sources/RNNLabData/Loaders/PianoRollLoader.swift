import Foundation

/// Piano-roll data sets in the JSON layout of `../shared/data`:
/// `{"splits": {"train": [...], "valid": [...], "test": [...]}}`, each split a
/// list of sequences, a sequence a list of time steps, a time step the sorted
/// list of active MIDI pitches (`[]` for silence).
public struct PianoRollDataSet: Equatable, Sendable {
    /// split name → sequences → steps → active pitches (ascending).
    public var splits: [String: [[[Int]]]]

    /// The lowest and highest MIDI pitch of the 88-key range.
    public static let pitchRange = 21...108

    /// Loads and validates a piano-roll file. Pitches must be integers in
    /// 21…108; steps are sorted if they are not; the splits train, valid and
    /// test must be present.
    public static func load(contentsOf url: URL) throws -> PianoRollDataSet {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError.unreadable(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw DataError.malformed(path: url.path, line: nil, column: nil, reason: "not valid JSON: \(((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription)")
        }
        guard let object = root as? [String: Any], let splitObject = object["splits"] as? [String: Any] else {
            throw DataError.malformedKey(path: url.path, key: "splits", reason: "expected an object with a \"splits\" object")
        }
        var splits: [String: [[[Int]]]] = [:]
        for name in ["train", "valid", "test"] where splitObject[name] == nil {
            throw DataError.malformedKey(path: url.path, key: "splits.\(name)", reason: "missing split '\(name)'")
        }
        for (name, value) in splitObject {
            guard let sequences = value as? [Any] else {
                throw DataError.malformedKey(path: url.path, key: "splits.\(name)", reason: "expected a list of sequences")
            }
            splits[name] = try sequences.enumerated().map { s, sequence in
                guard let steps = sequence as? [Any] else {
                    throw DataError.malformedKey(path: url.path, key: "splits.\(name)[\(s)]", reason: "expected a list of time steps")
                }
                return try steps.enumerated().map { t, step in
                    guard let pitches = step as? [Any] else {
                        throw DataError.malformedKey(path: url.path, key: "splits.\(name)[\(s)][\(t)]",
                                                  reason: "expected a list of pitches")
                    }
                    return try pitches.map { pitch in
                        guard !(pitch is Bool), let value = pitch as? Int, pitchRange.contains(value) else {
                            throw DataError.malformedKey(path: url.path, key: "splits.\(name)[\(s)][\(t)]",
                                                      reason: "pitch \(pitch) is not an integer in 21…108")
                        }
                        return value
                    }.sorted()
                }
            }
        }
        return PianoRollDataSet(splits: splits)
    }

    /// A time step as 88 values (1 for an active key, key 0 = MIDI 21).
    public static func frame(_ pitches: [Int]) -> [Float] {
        var row = [Float](repeating: 0, count: 88)
        for pitch in pitches where pitchRange.contains(pitch) { row[pitch - 21] = 1 }
        return row
    }
}
