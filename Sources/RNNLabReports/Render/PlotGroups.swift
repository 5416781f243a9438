import RNNLabExperiments

/// The panels of a report's plots: one per group of comparable arms (`baselineGroups`), titled by what its arms share.
extension ExperimentReport {
    /// One panel's arms (indices into `arms`) and its title: nil when the report has one group, otherwise the compare
    /// settings all its arms share and some arm of another group does not have ("task.length = 100"; task settings
    /// alone when there are any), or the group's trivial baseline when no setting tells the groups apart.
    var plotGroups: [(title: String?, members: [Int])] {
        let groups = baselineGroups(missing: "–")
        guard groups.count > 1 else { return groups.map { (nil, $0.members) } }
        return groups.map { group in
            let shared = sharedSettings(of: group.members)
            let others = arms.indices.filter { !group.members.contains($0) }
            let distinguishing = shared.filter { setting in
                others.contains { other in !arms[other].settings.contains { $0.key == setting.key && $0.value == setting.value } }
            }
            let task = distinguishing.filter { $0.key.hasPrefix("task.") }
            let chosen = task.isEmpty ? distinguishing : task
            if chosen.isEmpty {
                return ("trivial baseline \(experiment.report.metric) " + group.values[0], group.members)
            }
            return (chosen.map { "\($0.key) = \($0.value)" }.joined(separator: ", "), group.members)
        }
    }

    /// The compare settings (other than the arm's label) that every arm of `members` has with the same value,
    /// in the first arm's order.
    func sharedSettings(of members: [Int]) -> [(key: String, value: String)] {
        guard let first = members.first else { return [] }
        return arms[first].settings.filter { setting in
            setting.key != "label" && members.allSatisfy { member in
                arms[member].settings.contains { $0.key == setting.key && $0.value == setting.value }
            }
        }
    }
}
