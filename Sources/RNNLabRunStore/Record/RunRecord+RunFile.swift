extension RunRecord {
    /// The record of a finished run file, with the report inputs computed from its weights and data.
    /// Returns nil for a run that is not finished (running): only finished runs have records.
    public init?(_ file: RunFile, report: ReportInputs) {
        let status: Status
        switch file.status {
        case .complete: status = .complete
        case .diverged: status = .diverged
        case .running: return nil
        }
        self.init(experiment: file.experiment, runID: file.runID, configuration: file.configuration, status: status,
                  statusDetail: file.statusDetail, provenance: file.provenance, created: file.created, updated: file.updated,
                  trainingSeconds: file.trainingSeconds, bestEpoch: file.bestEpoch, epochs: file.epochs.map(Epoch.init),
                  finalMetrics: file.finalMetrics, steps: StepSeries(file.steps), weights: WeightDigests(file.finalWeights),
                  report: report)
    }
}
