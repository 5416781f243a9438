import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// Collecting a report's values: the only place that reads run files, builds tasks and runs models for a report.
extension ExperimentReport {
    /// Reads every planned run's file from the store.
    public static func collect(_ experiment: Experiment, profile: String?, store: RunStore, data: DataDirectory) throws -> ExperimentReport {
        let runs = try experiment.plan(profile: profile)
        var arms: [ArmSummary] = []
        var provenance: Provenance?
        var total = 0.0
        var untrusted: [(path: String, reason: String)] = []
        var wallClock: (start: Date, end: Date)?
        var baselines: [String: [String: Double]] = [:]   // by task specification (JSON)
        var figures: [AttentionFigure] = []
        for run in runs {
            if !arms.contains(where: { $0.arm == run.arm }) {
                let key = String(decoding: try JSONEncoder().encode(run.configuration.task), as: UTF8.self)
                let baseline = try baselines[key] ?? Self.baseline(of: run.configuration, data: data)
                baselines[key] = baseline
                arms.append(ArmSummary(arm: run.arm, planned: 0, complete: 0, diverged: 0, values: [:], seconds: nil, runIDs: [],
                                       curves: [:], gradientNorms: [:], baseline: baseline, settings: run.settings))
            }
            guard let index = arms.firstIndex(where: { $0.arm == run.arm }) else { continue }
            arms[index].planned += 1
            // One read per run file; only finished runs that match the plan count.
            let path = store.path(experiment.name, run.runID)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let file: RunFile
            do { file = try store.read(experiment.name, run) } catch {
                untrusted.append((path, "\(error)"))
                continue
            }
            switch store.state(of: file, configuration: run.configuration) {
            case .complete, .diverged: break
            case .corrupt(let reason):
                untrusted.append((path, reason))
                continue
            default: continue
            }
            arms[index].runIDs.append(run.runID)
            provenance = provenance ?? file.provenance
            let seconds = file.trainingSeconds
            total += seconds
            let iso = ISO8601DateFormatter()
            if let start = iso.date(from: file.created), let end = iso.date(from: file.updated) {
                wallClock = (min(wallClock?.start ?? start, start), max(wallClock?.end ?? end, end))
            }
            arms[index].seconds = ((arms[index].seconds ?? 0) * Double(arms[index].complete + arms[index].diverged) + seconds)
                / Double(arms[index].complete + arms[index].diverged + 1)
            for epoch in file.epochs {
                if let value = epoch.validationMetrics[experiment.report.metric] { arms[index].curves[epoch.epoch, default: []].append(value) }
            }
            let stride = max(1, file.steps.count / 400)
            for step in file.steps where step.step % stride == 0 {
                arms[index].gradientNorms[step.step, default: []].append(step.gradientNormBefore)
            }
            if file.status == .diverged {
                arms[index].diverged += 1
                continue
            }
            arms[index].complete += 1
            if let best = file.bestEpoch, let last = file.epochs.last?.epoch {
                let stoppedEarly = run.configuration.training.earlyStoppingPatience.map { last - best >= $0 } ?? false
                arms[index].epochs.append((last, best, stoppedEarly))
            }
            if !figures.contains(where: { $0.arm == run.arm }) {
                let heatMaps = (try? ModelFamilies.family(for: file.configuration))?.heatMaps(of: file, arm: run.arm, data: data) ?? []
                figures += heatMaps.map { AttentionFigure($0, arm: run.arm, armIndex: index) }
            }
            for (name, value) in file.finalMetrics { arms[index].values[name, default: []].append(value) }
            // The training loss of the last epoch (and, for language models, its perplexity).
            if let last = file.epochs.last, last.trainingLoss.isFinite {
                arms[index].values["train_loss", default: []].append(last.trainingLoss)
                if case .languageModel = run.configuration.task {
                    arms[index].values["train_perplexity", default: []].append(Foundation.exp(last.trainingLoss))
                }
            }
            if let criterion = experiment.report.success, let value = file.finalMetrics[criterion.metric],
               criterion.isSuccess(value, baseline: arms[index].baseline[criterion.metric]) == true {
                arms[index].successes += 1
            }
            if let settings = experiment.report.samples, arms[index].sample == nil {
                arms[index].sample = (run.runID, Self.sample(from: file, settings, data: data))
            }
        }
        return ExperimentReport(experiment: experiment, profile: profile, arms: arms, provenance: provenance, totalSeconds: total,
                                wallClock: wallClock, untrusted: untrusted, attentionFigures: figures)
    }

    /// The task's trivial baseline on the test split (sequence-to-sequence tasks: copying the source).
    static func baseline(of configuration: RunConfiguration, data: DataDirectory) throws -> [String: Double] {
        try ModelFamilies.family(for: configuration).baseline(of: configuration, data: data)
    }

    /// Text generated from a stored language-model run, or why there is none.
    static func sample(from file: RunFile, _ settings: SampleSettings, data: DataDirectory) -> String {
        do {
            return try ModelFamilies.family(for: file.configuration).sampleText(from: file, settings, data: data)
        } catch {
            return "(no sample: \(error))"
        }
    }
}
