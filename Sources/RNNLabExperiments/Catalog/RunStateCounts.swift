/// How many runs are in each state (by the state's one-word name, see `RunStatus.State.name`).
public struct RunStateCounts: Equatable, Sendable, CustomStringConvertible {
    /// The number of runs per state name; states without runs are absent.
    public private(set) var byState: [String: Int] = [:]

    /// The counts of `statuses`' states.
    public init(_ statuses: [RunStatus]) {
        for status in statuses { byState[status.state.name, default: 0] += 1 }
    }

    /// The number of runs in the state named `name` (0 when none).
    public subscript(name: String) -> Int { byState[name] ?? 0 }

    /// Every run counted.
    public var total: Int { byState.values.reduce(0, +) }

    /// "2 complete, 1 missing": the states in alphabetical order, as every command prints them.
    public var description: String {
        byState.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
