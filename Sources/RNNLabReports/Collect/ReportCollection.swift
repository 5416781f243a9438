import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// Collecting a report's values: the only place that reads run records for a report. A report is a pure
/// function of the experiment file and the records: it reads no run file, no data and runs no model.
extension ExperimentReport {
    /// Reads every planned run's record from the store.
    public static func collect(_ experiment: Experiment, profile: String?, store: RunStore) throws -> ExperimentReport {
        let runs = try experiment.plan(profile: profile)
        var arms: [ArmSummary] = []
        var provenance: Provenance?
        var total = 0.0
        var untrusted: [(path: String, reason: String)] = []
        var wallClock: (start: Date, end: Date)?
        var figures: [AttentionFigure] = []
        var recordBytes = 0
        let iso = ISO8601DateFormatter()
        for run in runs {
            if !arms.contains(where: { $0.arm == run.arm }) {
                arms.append(ArmSummary(arm: run.arm, planned: 0, complete: 0, diverged: 0, values: [:], seconds: nil, runIDs: [],
                                       curves: [:], gradientNorms: [:], baseline: [:], settings: run.settings))
            }
            guard let index = arms.firstIndex(where: { $0.arm == run.arm }) else { continue }
            arms[index].planned += 1
            let record: RunRecord
            switch store.record(experiment.name, runID: run.runID, configuration: run.configuration) {
            case .none:
                // A run file without a record (its writer stopped in between): named, not read.
                let path = store.path(experiment.name, run.runID)
                if FileManager.default.fileExists(atPath: path) {
                    untrusted.append((path, "it has no record yet (reports read records only): `rnnlab run` records a finished run file"))
                }
                continue
            case .invalid(let error):
                untrusted.append((store.recordPath(experiment.name, run.runID), "\(error)"))
                continue
            case .valid(let valid): record = valid
            }
            if arms[index].baseline.isEmpty { arms[index].baseline = record.report.baseline }
            if arms[index].pairingKey == nil { arms[index].pairingKey = Self.pairingKey(run.configuration) }
            arms[index].patience = run.configuration.training.earlyStoppingPatience
            let size = (try? FileManager.default.attributesOfItem(atPath: store.recordPath(experiment.name, run.runID)))?[.size] as? Int
            recordBytes += size ?? 0
            arms[index].runIDs.append(run.runID)
            provenance = provenance ?? record.provenance
            total += record.trainingSeconds
            if let start = iso.date(from: record.created), let end = iso.date(from: record.updated) {
                wallClock = (min(wallClock?.start ?? start, start), max(wallClock?.end ?? end, end))
            }
            let finished = arms[index].finished
            arms[index].seconds = ((arms[index].seconds ?? 0) * Double(finished) + record.trainingSeconds) / Double(finished + 1)
            for epoch in record.epochs {
                if let value = epoch.validationMetrics[experiment.report.metric] { arms[index].curves[epoch.epoch, default: []].append(value) }
            }
            let steps = record.steps
            for bucket in 0..<steps.bucketCount {
                arms[index].gradientNorms[steps.firstStep(ofBucket: bucket), default: []].append(Double(steps.gradientNormBefore.mean[bucket]))
            }
            if record.status == .diverged {
                arms[index].diverged += 1
                continue
            }
            if let best = record.bestEpoch, let last = record.epochs.last?.epoch {
                let stoppedEarly = run.configuration.training.earlyStoppingPatience.map { last - best >= $0 } ?? false
                arms[index].epochs.append((last, best, stoppedEarly))
            }
            if let value = record.finalMetrics[experiment.report.metric],
               ExplodedRun.isExploded(value, baseline: arms[index].baseline[experiment.report.metric] ?? .nan,
                                      lowerIsBetter: experiment.report.lowerIsBetter) {
                arms[index].exploded += 1
                continue
            }
            arms[index].complete += 1
            arms[index].updates.append(steps.count)
            if let tokens = steps.tokens { arms[index].tokens.append(tokens) }
            if !figures.contains(where: { $0.arm == run.arm }) {
                figures += record.report.heatMaps.map { AttentionFigure($0, arm: run.arm, armIndex: index) }
            }
            func add(_ name: String, _ value: Double) {
                arms[index].values[name, default: []].append(value)
                arms[index].valueSeeds[name, default: []].append(run.seed)
            }
            for (name, value) in record.finalMetrics { add(name, value) }
            // The training loss of the last epoch (and, for language models, its perplexity).
            if let loss = record.lastTrainingLoss {
                add("train_loss", loss)
                if case .languageModel = run.configuration.task { add("train_perplexity", Foundation.exp(loss)) }
            }
            // Clipping diagnostics from every step (older records: only where they are exact).
            if let fraction = steps.clippedFraction { add("clipped_fraction", fraction) }
            if let median = steps.gradientNormMedian { add("median_grad_norm", median) }
            if let criterion = experiment.report.success, let value = record.finalMetrics[criterion.metric],
               criterion.isSuccess(value, baseline: arms[index].baseline[criterion.metric]) == true {
                arms[index].successes += 1
            }
            if let settings = experiment.report.samples, arms[index].sample == nil {
                arms[index].sample = (run.runID, Self.sampleText(in: record, for: settings))
            }
        }
        var report = ExperimentReport(experiment: experiment, profile: profile, arms: arms, provenance: provenance, totalSeconds: total,
                                      wallClock: wallClock, untrusted: untrusted, attentionFigures: figures)
        report.recordBytes = recordBytes
        return report
    }

    /// What two arms' runs of one seed must share for the seed to pair them: the task and the batch size (the data
    /// order is drawn from the seed's data-order stream by the task's batching).
    static func pairingKey(_ configuration: RunConfiguration) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let task = (try? encoder.encode(configuration.task)).map { String(decoding: $0, as: UTF8.self) } ?? "\(configuration.task)"
        return task + " batch \(configuration.batchSize)"
    }

    /// The recorded sample, when it was generated with the experiment's current `report.samples`.
    static func sampleText(in record: RunRecord, for settings: SampleSettings) -> String {
        guard let sample = record.report.sample else {
            return "(no sample in the record: delete the record and `rnnlab run` writes it again from the run file, with a sample)"
        }
        guard sample.prime == settings.prime, sample.length == settings.length, sample.temperature == settings.temperature else {
            return "(the recorded sample was generated with other settings (prime \"\(sample.prime)\", length \(sample.length), "
                + "temperature \(sample.temperature)): delete the record and `rnnlab run` writes it again from the run file with these)"
        }
        return sample.text
    }
}
