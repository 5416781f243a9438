import RNNLabExperiments

extension ExperimentReport {
    /// The receptive fields of the report's TCN arms ("Receptive fields (TCN): `adding: TCN` 757 steps (6 levels,
    /// kernel size 7), …"), from the planned configurations; nil when no arm is a TCN.
    public var receptiveFieldNote: String? {
        guard let runs = try? experiment.plan(profile: profile) else { return nil }
        var seen = Set<String>(), entries: [String] = []
        for run in runs where seen.insert(run.arm).inserted {
            guard let tcn = run.configuration.model.tcn else { continue }
            entries.append("`\(run.arm)` \(tcn.receptiveField) steps (\(tcn.levels) levels, kernel size \(tcn.kernelSize))")
        }
        guard !entries.isEmpty else { return nil }
        return "Receptive fields (TCN, R = 1 + 2(k − 1)(2^levels − 1) steps, the current one included): "
            + entries.joined(separator: ", ") + "."
    }
}
