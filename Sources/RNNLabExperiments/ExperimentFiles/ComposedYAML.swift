import Yams

/// A YAML document as Yams composes it, kept with its parser (which owns the
/// anchors, so that an alias can be told from its anchor while converting)
/// and freed one node at a time.
///
/// Yams shares an anchored node between its aliases, and Swift frees a tree
/// recursively: a small file whose aliases chain nested lists (each anchor
/// wrapping the previous one in hundreds of brackets) is a tree tens of
/// thousands of levels deep, whose release would overflow the stack. So the
/// tree's distinct nodes are released parents first, each while its children
/// are still held, which frees one level at a time.
final class ComposedYAML {
    private var parser: Parser?
    /// The document's root, nil for an empty document.
    private(set) var root: Node?

    /// Composes `text`; throws Yams' errors.
    init(_ text: String) throws {
        let parser = try Parser(yaml: text)
        self.parser = parser
        root = try parser.singleRoot()
    }

    deinit {
        var order = postorder()
        root = nil
        parser = nil
        // Parents come after their children: releasing from the end frees each node
        // after every node that held it, while the nodes it holds are still in `order`.
        while order.popLast() != nil {}
    }

    /// The distinct nodes of the tree (an anchored node once), each after all of its descendants.
    private func postorder() -> [Node] {
        guard let root else { return [] }
        var order: [Node] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: Node, children: [Node], next: Int)] = [(root, Self.children(of: root), 0)]
        while let top = stack.indices.last {
            guard stack[top].next < stack[top].children.count else {
                order.append(stack.removeLast().node)
                continue
            }
            let child = stack[top].children[stack[top].next]
            stack[top].next += 1
            if let anchor = child.anchor, !visited.insert(ObjectIdentifier(anchor)).inserted { continue }
            stack.append((child, Self.children(of: child), 0))
        }
        return order
    }

    private static func children(of node: Node) -> [Node] {
        switch node {
        case .sequence(let sequence): Array(sequence)
        case .mapping(let mapping): mapping.flatMap { [$0.key, $0.value] }
        case .scalar, .alias: []
        }
    }
}
