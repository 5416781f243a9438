import RNNLabData
import RNNLabRunStore

extension RunRecord {
    /// The record of a finished run file of a planned run: the file's figures plus the report inputs that need
    /// the weights or the data — the task's trivial baseline, the text `report.samples` asks for, and the
    /// family's heat maps (complete runs only). Nil when the run is not finished.
    public static func make(from file: RunFile, of run: PlannedRun, in experiment: Experiment, data: DataDirectory) throws -> RunRecord? {
        guard file.status != .running else { return nil }
        let family = try ModelFamilies.family(for: file.configuration)
        var inputs = ReportInputs(baseline: try family.baseline(of: file.configuration, data: data))
        if file.status == .complete {
            if let settings = experiment.report.samples {
                let text: String
                do { text = try family.sampleText(from: file, settings, data: data) } catch { text = "(no sample: \(error))" }
                inputs.sample = Sample(prime: settings.prime, length: settings.length, temperature: settings.temperature, text: text)
            }
            inputs.heatMaps = family.heatMaps(of: file, data: data)
        }
        var file = file
        file.experiment = experiment.name
        return RunRecord(file, report: inputs)
    }
}
