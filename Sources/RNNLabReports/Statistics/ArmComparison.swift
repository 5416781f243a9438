import RNNLabExperiments


/// Which arms a report compares with which, and which is best: computed from the collected values alone.
extension ExperimentReport {
    /// The primary metric, then the other reported columns; where arms differ in their clipping settings, the
    /// clipping diagnostics (`clipped_fraction`, `median_grad_norm`) follow even when the file does not name them.
    var metrics: [String] {
        var names = [experiment.report.metric] + experiment.report.columns.filter { $0 != experiment.report.metric }
        if comparesClipping {
            names += ["clipped_fraction", "median_grad_norm"].filter { !names.contains($0) }
        }
        return names
    }

    /// Whether the arms differ in a `training.clipping` setting.
    var comparesClipping: Bool {
        arms.contains { arm in arm.settings.contains { $0.key.hasPrefix("training.clipping") } }
    }

    /// The best arm of each group of comparable arms (those sharing a trivial baseline, see `baselineGroups`)
    /// by the primary metric's mean, as indices into `arms`; groups without a complete run have none.
    var bestArms: [Int] {
        baselineGroups(missing: "–").compactMap { group -> Int? in
            let means = group.members.compactMap { index -> (Int, Double)? in
                guard let s = SeedStatistics.meanAndStd(arms[index].values[experiment.report.metric] ?? []) else { return nil }
                return (index, s.mean)
            }
            return (experiment.report.lowerIsBetter ? means.min { $0.1 < $1.1 } : means.max { $0.1 < $1.1 })?.0
        }
    }

    /// The arms grouped by their trivial baselines (formatted, one per metric), in order of first appearance:
    /// arms whose tasks differ (sequence lengths, data sets) get one group, and one baseline row, per distinct
    /// baseline, and only arms of one group are compared with each other. `members` are indices into `arms`.
    func baselineGroups(missing: String) -> [(members: [Int], values: [String])] {
        var groups: [(members: [Int], values: [String])] = []
        for (index, arm) in arms.enumerated() {
            let values = metrics.map { m in arm.baseline[m].map(format) ?? missing }
            if let group = groups.firstIndex(where: { $0.values == values }) {
                groups[group].members.append(index)
            } else {
                groups.append((members: [index], values: values))
            }
        }
        return groups
    }
}
