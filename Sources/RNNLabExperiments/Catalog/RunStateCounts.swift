import RNNLabRunStore

/// How many runs are in each state.
public struct RunStateCounts: Equatable, Sendable, CustomStringConvertible {
    /// The number of runs per state; states without runs are absent.
    public private(set) var byState: [RunState.Kind: Int] = [:]

    /// The counts of `statuses`' states.
    public init(_ statuses: [PlannedRunStatus]) {
        for status in statuses { byState[status.state.kind, default: 0] += 1 }
    }

    /// The number of runs in state `kind` (0 when none).
    public subscript(kind: RunState.Kind) -> Int { byState[kind] ?? 0 }

    /// Every run counted.
    public var total: Int { byState.values.reduce(0, +) }

    /// "2 complete, 1 missing": the states in alphabetical order, as every command prints them.
    public var description: String {
        byState.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
    }
}
