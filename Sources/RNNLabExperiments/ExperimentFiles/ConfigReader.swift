import Foundation
import RNNLabData

/// Reads typed values out of `ConfigNode`s, checking keys, types and ranges,
/// and reporting every problem with its position and dotted key.
struct ConfigReader {
    /// A mapping's entries after checking that every key is known.
    func mapping(_ node: ConfigNode, _ key: String, known: [String]) throws -> [String: ConfigNode] {
        guard case .mapping(let entries, _) = node else {
            throw ExperimentError(position: node.position, key: key, message: "expected a mapping of \(known.joined(separator: ", "))")
        }
        var result: [String: ConfigNode] = [:]
        for entry in entries {
            guard known.contains(entry.key) else {
                let hint = nearest(entry.key, in: known).map { "; did you mean '\($0)'?" } ?? ""
                throw ExperimentError(position: entry.keyPosition, key: join(key, entry.key),
                                      message: "unknown key (known: \(known.joined(separator: ", ")))\(hint)")
            }
            result[entry.key] = entry.value
        }
        return result
    }

    func scalar(_ node: ConfigNode, _ key: String) throws -> String {
        guard case .scalar(let text, _) = node else {
            throw ExperimentError(position: node.position, key: key, message: "expected a single value, got \(node.text)")
        }
        return text
    }

    func int(_ node: ConfigNode, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        let text = try scalar(node, key)
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw ExperimentError(position: node.position, key: key, message: "expected a whole number, got '\(text)'")
        }
        guard range.contains(value) else {
            throw ExperimentError(position: node.position, key: key, message: "\(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func double(_ node: ConfigNode, _ key: String, in range: ClosedRange<Double>) throws -> Double {
        let text = try scalar(node, key)
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw ExperimentError(position: node.position, key: key, message: "expected a number, got '\(text)'")
        }
        guard range.contains(value) else {
            throw ExperimentError(position: node.position, key: key, message: "\(text) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func bool(_ node: ConfigNode, _ key: String) throws -> Bool {
        switch try scalar(node, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw ExperimentError(position: node.position, key: key, message: "expected true or false, got '\(other)'")
        }
    }

    func choice(_ node: ConfigNode, _ key: String, _ choices: [String]) throws -> String {
        let text = try scalar(node, key)
        guard choices.contains(text) else {
            let hint = nearest(text, in: choices).map { "; did you mean '\($0)'?" } ?? ""
            throw ExperimentError(position: node.position, key: key, message: "'\(text)' is not one of \(choices.joined(separator: ", "))\(hint)")
        }
        return text
    }

    /// A `kind:` mapping, or a bare scalar naming the kind; returns the kind and the other entries.
    func kinded(_ node: ConfigNode, _ key: String, kinds: [String: [String]]) throws -> (kind: String, fields: [String: ConfigNode]) {
        let allKinds = kinds.keys.sorted()
        if case .scalar = node { return (try choice(node, key, allKinds), [:]) }
        let all = Array(Set(kinds.values.flatMap { $0 } + ["kind"])).sorted()
        let fields = try mapping(node, key, known: all)
        guard let kindNode = fields["kind"] else {
            throw ExperimentError(position: node.position, key: join(key, "kind"), message: "missing; one of \(allKinds.joined(separator: ", "))")
        }
        let kind = try choice(kindNode, join(key, "kind"), allKinds)
        for (name, value) in fields where name != "kind" && !(kinds[kind] ?? []).contains(name) {
            throw ExperimentError(position: value.position, key: join(key, name),
                                  message: "not an option of \(kind) (options: \((kinds[kind] ?? []).joined(separator: ", ")))")
        }
        return (kind, fields.filter { $0.key != "kind" })
    }

    func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }
}

