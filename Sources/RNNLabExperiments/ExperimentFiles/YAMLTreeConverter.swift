import Yams

/// Turns the tree Yams composes into `ConfigNode`s, expanding aliases within
/// `ExperimentLimits`. Yams shares an anchored node between its aliases, so a
/// few lines can stand for millions of values (an alias bomb) or for nesting
/// deep enough to overflow the stack; counting while expanding stops after at
/// most `maximumValues` values, with an error at the alias that went over.
struct YAMLTreeConverter {
    let file: String
    /// Values converted so far, aliases expanded.
    private var values = 0
    /// The anchored nodes met so far (name and position): meeting one again is meeting an alias of it.
    private var anchors = Set<String>()

    init(file: String) { self.file = file }

    mutating func convert(_ root: Node) throws -> ConfigNode {
        let at = position(root.mark)
        return try convert(root, key: "", depth: 1, site: at, alias: nil)
    }

    /// `site` is where the node is written: its key's position in a mapping, its list's in a list
    /// (Yams gives an alias no position of its own). `alias` is the site of the outermost alias
    /// being expanded, nil outside aliases; errors inside an alias point there.
    private mutating func convert(_ node: Node, key: String, depth: Int, site: SourcePosition,
                                  alias outer: SourcePosition?) throws -> ConfigNode {
        let at = position(node.mark)
        var alias = outer
        if let anchor = node.anchor, !anchors.insert("\(anchor.rawValue)@\(at.line):\(at.column)").inserted, alias == nil {
            alias = site
        }
        let expanded = alias == nil ? "" : " once its YAML aliases are expanded"
        values += 1
        guard values <= ExperimentLimits.maximumValues else {
            throw ExperimentError(position: alias ?? at, key: key,
                                  message: "the file has more than \(ExperimentLimits.maximumValues) values\(expanded) (the limit of an experiment file)")
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, at)
        case .sequence(let sequence):
            try checkDepth(depth, at: alias ?? at, key: key, expanded)
            var items: [ConfigNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, key: key, depth: depth + 1, site: at, alias: alias)) }
            return .sequence(items, at)
        case .mapping(let mapping):
            try checkDepth(depth, at: alias ?? at, key: key, expanded)
            var entries: [(key: String, keyPosition: SourcePosition, value: ConfigNode)] = []
            var names = Set<String>()
            for (keyNode, value) in mapping {
                let keyAt = position(keyNode.mark)
                guard case .scalar(let name) = keyNode else {
                    throw ExperimentError(position: keyAt, key: key, message: "keys must be plain words")
                }
                let path = key.isEmpty ? name.string : "\(key).\(name.string)"
                guard names.insert(name.string).inserted else {
                    throw ExperimentError(position: keyAt, key: path, message: "duplicate key")
                }
                entries.append((name.string, keyAt, try convert(value, key: path, depth: depth + 1, site: keyAt, alias: alias)))
            }
            return .mapping(entries, at)
        case .alias:
            throw ExperimentError(position: alias ?? at, key: key, message: "YAML aliases are not supported here")
        }
    }

    private func checkDepth(_ depth: Int, at position: SourcePosition, key: String, _ expanded: String) throws {
        guard depth <= ExperimentLimits.maximumDepth else {
            throw ExperimentError(position: position, key: key,
                                  message: "lists and mappings nest deeper than \(ExperimentLimits.maximumDepth) levels\(expanded) "
                                  + "(the limit of an experiment file)")
        }
    }

    private func position(_ mark: Mark?) -> SourcePosition {
        SourcePosition(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }
}
