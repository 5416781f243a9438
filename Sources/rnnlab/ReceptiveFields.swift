import RNNLabExperiments

/// The receptive fields of an experiment's TCN arms, as `rnnlab validate` prints them.
enum ReceptiveFields {
    /// One line per TCN arm: "receptive field of 'ARM': R steps (L levels, kernel size k)".
    static func lines(of runs: [PlannedRun]) -> [String] {
        var seen = Set<String>(), lines: [String] = []
        for run in runs where seen.insert(run.arm).inserted {
            guard let tcn = run.configuration.model.tcn else { continue }
            lines.append("receptive field of '\(run.arm)': \(tcn.receptiveField) steps (\(tcn.levels) levels, kernel size \(tcn.kernelSize))")
        }
        return lines
    }
}
