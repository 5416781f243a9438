import Foundation

/// The report of an experiment, computed from its run files alone.
public struct ExperimentReport {
    /// One arm's results over its seeds.
    public struct ArmSummary {
        public var arm: String
        public var planned: Int
        public var complete: Int
        public var diverged: Int
        /// metric → test values at the best epoch of each complete run.
        public var values: [String: [Double]]
        /// Mean training time per run, in seconds.
        public var seconds: Double?
        public var runIDs: [String]
        /// epoch → validation values of the primary metric, one per run.
        public var curves: [Int: [Double]]
        /// step → gradient norms before clipping, one per run.
        public var gradientNorms: [Int: [Double]]
        /// The task's trivial baseline on the test split.
        public var baseline: [String: Double]
        /// The arm's compare settings (for matching published values).
        public var settings: [(key: String, value: String)]
        /// Finished runs that meet `report.success`.
        public var successes: Int = 0
        /// Epochs each complete run trained, its best validation epoch (the one its test values are from), and
        /// whether early stopping ended it (rather than its budget of epochs, steps or wall clock).
        public var epochs: [(run: Int, best: Int, stoppedEarly: Bool)] = []
        /// Text generated from the arm's first complete run (`report.samples`): its run id and the text.
        public var sample: (runID: String, text: String)? = nil
    }

    public var experiment: Experiment
    public var profile: String?
    public var arms: [ArmSummary]
    public var provenance: Provenance?
    public var totalSeconds: Double
    /// From the earliest start to the latest end of the finished runs (the sweep's wall clock, with any pauses).
    public var wallClock: (start: Date, end: Date)? = nil
    /// Run files that exist but were not trusted (unreadable, checksum mismatch, not of the plan), with why;
    /// none of them contributes to the report.
    public var untrusted: [(path: String, reason: String)] = []
    /// Attention heat maps of sequence-to-sequence experiments.
    public var attentionFigures: [AttentionFigure] = []

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
        var report = ExperimentReport(experiment: experiment, profile: profile, arms: arms, provenance: provenance, totalSeconds: total)
        report.untrusted = untrusted
        report.attentionFigures = figures
        report.wallClock = wallClock
        return report
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

    /// Mean and sample standard deviation.
    static func statistics(_ values: [Double]) -> (mean: Double, std: Double)? {
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    private var metrics: [String] { [experiment.report.metric] + experiment.report.columns.filter { $0 != experiment.report.metric } }

    private func cell(_ values: [Double]?) -> String {
        guard let values, let s = ExperimentReport.statistics(values) else { return "–" }
        return values.count > 1 ? "\(format(s.mean)) ± \(format(s.std))" : format(s.mean)
    }

    private func format(_ value: Double) -> String {
        if !value.isFinite { return "\(value)" }
        if value != 0 && (abs(value) >= 100_000 || abs(value) < 0.001) { return String(format: "%.3e", value) }
        return String(format: abs(value) >= 100 ? "%.1f" : "%.4f", value)
    }

    /// The best arm of each group of comparable arms (those sharing a trivial baseline, see `baselineGroups`)
    /// by the primary metric's mean, as indices into `arms`; groups without a complete run have none.
    private var bestArms: [Int] {
        baselineGroups(missing: "–").compactMap { group -> Int? in
            let means = group.members.compactMap { index -> (Int, Double)? in
                guard let s = ExperimentReport.statistics(arms[index].values[experiment.report.metric] ?? []) else { return nil }
                return (index, s.mean)
            }
            return (experiment.report.lowerIsBetter ? means.min { $0.1 < $1.1 } : means.max { $0.1 < $1.1 })?.0
        }
    }

    /// The comparison table in Markdown (one row per arm, the baseline last).
    public var markdownTable: String {
        let success = experiment.report.success.map { ["success (\($0.description))"] } ?? []
        let header = ["arm", "n"] + metrics.map { $0.hasPrefix("train_") ? "last-epoch \($0)" : "test \($0)" } + success
            + ["epochs (best)", "diverged", "time per run (s)"]
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        let best = bestArms
        for (index, arm) in arms.enumerated() {
            var row = ["`\(arm.arm)`", "\(arm.complete)/\(arm.planned)"]
            for (m, metric) in metrics.enumerated() {
                let text = cell(arm.values[metric])
                row.append(m == 0 && best.contains(index) ? "**\(text)**" : text)
            }
            if !success.isEmpty { row.append("\(arm.successes)/\(arm.complete + arm.diverged)") }
            row += [epochsCell(arm.epochs), "\(arm.diverged)", arm.seconds.map { String(format: "%.1f", $0) } ?? "–"]
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        let groups = baselineGroups(missing: "–")
        for group in groups {
            let label = groups.count == 1 ? "trivial baseline" : "baseline for " + group.members.map { "`\(arms[$0].arm)`" }.joined(separator: ", ")
            lines.append("| \(label) | – | " + group.values.joined(separator: " | ") + String(repeating: " | –", count: success.count + 3) + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// "100 (87)", or ranges over the runs, "93–100 (83–100)": epochs trained and the best validation epoch.
    private func epochsCell(_ epochs: [(run: Int, best: Int, stoppedEarly: Bool)]) -> String {
        func range(_ values: [Int]) -> String {
            guard let low = values.min(), let high = values.max() else { return "–" }
            return low == high ? "\(low)" : "\(low)–\(high)"
        }
        return epochs.isEmpty ? "–" : "\(range(epochs.map(\.run))) (\(range(epochs.map(\.best))))"
    }

    /// Says what ended the complete runs, early stopping or their budget, and how many were still improving at
    /// their last epoch, so that a reader knows which numbers a longer budget could still change.
    private var budgetNote: String? {
        let all = arms.flatMap(\.epochs)
        guard !all.isEmpty else { return nil }
        let early = all.filter(\.stoppedEarly).count, improving = all.filter { $0.best == $0.run }.count
        if early == all.count { return "Early stopping ended all \(all.count) complete runs." }
        return "Of the \(all.count) complete runs, early stopping ended \(early) and their budget (epochs, steps or wall clock) "
            + "\(all.count - early); " + (improving == 0 ? "none had its best validation epoch at its last."
                : "\(improving) had their best validation epoch at their last, so more epochs could still improve them.")
    }

    /// The arms grouped by their trivial baselines (formatted, one per metric), in order of first appearance:
    /// arms whose tasks differ (sequence lengths, data sets) get one group, and one baseline row, per distinct
    /// baseline, and only arms of one group are compared with each other. `members` are indices into `arms`.
    private func baselineGroups(missing: String) -> [(members: [Int], values: [String])] {
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

    /// The table for LaTeX papers (booktabs), mean ± std with n.
    public var latexTable: String {
        func tex(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\textbackslash{}").replacingOccurrences(of: "_", with: "\\_")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "&", with: "\\&")
        }
        var lines = ["\\begin{tabular}{l" + String(repeating: "r", count: metrics.count + 1) + "}", "\\toprule",
                     "Arm & $n$ & " + metrics.map { "test " + tex($0) }.joined(separator: " & ") + " \\\\", "\\midrule"]
        let best = bestArms
        for (index, arm) in arms.enumerated() {
            let cells = metrics.enumerated().map { m, metric -> String in
                let text = cell(arm.values[metric]).replacingOccurrences(of: "±", with: "$\\pm$")
                return m == 0 && best.contains(index) ? "\\textbf{\(text)}" : text
            }
            lines.append("\(tex(arm.arm)) & \(arm.complete) & " + cells.joined(separator: " & ") + " \\\\")
        }
        let groups = baselineGroups(missing: "--")
        if !groups.isEmpty { lines.append("\\midrule") }
        for group in groups {
            let label = groups.count == 1 ? "Trivial baseline" : "Baseline (" + group.members.map { tex(arms[$0].arm) }.joined(separator: "; ") + ")"
            lines.append("\(label) & -- & " + group.values.joined(separator: " & ") + " \\\\")
        }
        lines += ["\\bottomrule", "\\end{tabular}"]
        return lines.joined(separator: "\n")
    }

    /// The table as CSV: one row per arm, mean and std of every metric.
    public var csv: String {
        var lines = [(["arm", "planned", "complete", "diverged", "seconds_per_run"] + metrics.flatMap { ["\($0)_mean", "\($0)_std", "\($0)_baseline"] })
            .joined(separator: ",")]
        for arm in arms {
            var row = ["\"\(arm.arm.replacingOccurrences(of: "\"", with: "\"\""))\"", "\(arm.planned)", "\(arm.complete)", "\(arm.diverged)",
                       arm.seconds.map { String(format: "%.3f", $0) } ?? ""]
            for metric in metrics {
                let s = ExperimentReport.statistics(arm.values[metric] ?? [])
                row += [s.map { "\($0.mean)" } ?? "", s.map { "\($0.std)" } ?? "", arm.baseline[metric].map { "\($0)" } ?? ""]
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The learning-curve plot (validation metric per epoch, mean with a min–max band).
    public var curvesSVG: String {
        SVGPlot(title: "\(experiment.title): validation \(experiment.report.metric)", xLabel: "epoch",
                yLabel: "validation \(experiment.report.metric)", series: arms.map { arm in
                    SVGPlot.Series(label: arm.arm, points: arm.curves.keys.sorted().compactMap { epoch in
                        guard let values = arm.curves[epoch], let s = ExperimentReport.statistics(values) else { return nil }
                        return (Double(epoch), s.mean, values.min() ?? s.mean, values.max() ?? s.mean)
                    })
                }).render()
    }

    /// The gradient-norm plot (norm before clipping per step, log scale).
    public var gradientNormSVG: String {
        SVGPlot(title: "\(experiment.title): gradient norm before clipping", xLabel: "step", yLabel: "global L2 norm", logY: true,
                series: arms.map { arm in
                    SVGPlot.Series(label: arm.arm, points: arm.gradientNorms.keys.sorted().compactMap { step in
                        guard let values = arm.gradientNorms[step], let s = ExperimentReport.statistics(values) else { return nil }
                        return (Double(step), s.mean, values.min() ?? s.mean, values.max() ?? s.mean)
                    })
                }).render()
    }

    /// Published values beside ours, with whether ours falls within the stated tolerance.
    public var referenceTable: String? {
        guard !experiment.references.isEmpty else { return nil }
        var lines = ["| arm | metric | published | ours (mean over seeds) | difference | within tolerance? | source |",
                     "|---|---|---|---|---|---|---|"]
        for reference in experiment.references {
            for arm in arms where reference.matches(arm.settings) {
                let ours = ExperimentReport.statistics(arm.values[reference.metric] ?? [])
                let verdict: String
                if let ours {
                    verdict = abs(ours.mean - reference.value) <= reference.tolerance ? "yes (±\(format(reference.tolerance)))"
                                                                                        : "**no** (±\(format(reference.tolerance)))"
                } else {
                    verdict = "no complete run"
                }
                lines.append("| `\(arm.arm)` | \(reference.metric) | \(format(reference.value)) | \(cell(arm.values[reference.metric])) | "
                             + "\(ours.map { format($0.mean - reference.value) } ?? "–") | \(verdict) | \(reference.source) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "; wall clock …" from the stored start and end times of the runs.
    private var wallClockText: String {
        guard let (start, end) = wallClock else { return "" }
        let iso = ISO8601DateFormatter()
        return "; wall clock from the first run's start to the last run's end: \(String(format: "%.0f", end.timeIntervalSince(start))) s "
            + "(\(iso.string(from: start)) to \(iso.string(from: end)))"
    }

    /// The whole REPORT.md.
    public var markdown: String {
        let direction = experiment.report.lowerIsBetter ? "lower is better" : "higher is better"
        let command = "rnnlab run \(experiment.file)" + (profile.map { " --profile \($0)" } ?? "")
        var text = """
        # \(experiment.title)

        \(experiment.description)

        Primary metric: test `\(experiment.report.metric)` at the best validation epoch (\(direction)); mean ± sample standard \
        deviation over seeds, n = complete runs / planned runs; epochs (best): the epochs the complete runs trained, and \
        the validation epoch their test values are from. \(boldNote) Generated from the run files by \
        `rnnlab report`; do not edit.\(profile.map { "\n\n**Profile `\($0)`: a shrunken configuration, not comparable with published numbers.**" } ?? "")

        \(markdownTable)

        Measured training time: \(String(format: "%.0f", totalSeconds)) s in total over all runs (one BLAS thread per run)\(wallClockText).\(budgetNote.map { "\n\n" + $0 } ?? "")
        \(referenceTable.map { "\n## Published values\n\nOurs is the test value of the metric at the best validation epoch (for `train_` metrics: the last epoch's training value), averaged over seeds, computed on the splits and with the configuration above; a miss is reported as a miss.\n\n\($0)\n" } ?? "")

        ![learning curves](curves.svg)

        """
        if experiment.report.plots.contains("grad_norm") { text += "\n![gradient norms](grad_norm.svg)\n" }
        if let settings = experiment.report.samples {
            text += "\n## Samples\n\nGenerated from each arm's first complete run (prime \"\(settings.prime)\", \(settings.length) tokens, "
                + "temperature \(settings.temperature), sampling seed 1; `rnnlab sample` gives the same text).\n"
            for arm in arms {
                guard let sample = arm.sample else { continue }
                text += "\n`\(arm.arm)` (run `\(sample.runID)`):\n\n```text\n\(sample.text)\n```\n"
            }
        }
        text += seq2seqMarkdown
        text += "\n## Reproduce\n\n```sh\n\(command)\n```\n"
        if let p = provenance {
            text += "\n## Provenance\n\nRNNLab \(p.rnnlabVersion), git \(p.gitCommit)\(p.gitDirty ? " (with uncommitted changes)" : ""); \(p.blas); HDF5 \(p.hdf5); \(p.cpu).\n"
        }
        text += "\n## Runs\n\n" + arms.map { "- `\($0.arm)`: " + $0.runIDs.map { "`\($0)`" }.joined(separator: ", ") }.joined(separator: "\n") + "\n"
        return text
    }

    /// Writes REPORT.md, summary.csv and the plots into `directory` (each file atomically).
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try markdown.write(to: directory.appendingPathComponent("REPORT.md"), atomically: true, encoding: .utf8)
        try csv.write(to: directory.appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
        try curvesSVG.write(to: directory.appendingPathComponent("curves.svg"), atomically: true, encoding: .utf8)
        try writeSeq2SeqFigures(to: directory)
        if experiment.report.plots.contains("grad_norm") {
            try gradientNormSVG.write(to: directory.appendingPathComponent("grad_norm.svg"), atomically: true, encoding: .utf8)
        }
    }

    /// What the bold entries of the table mean.
    private var boldNote: String {
        baselineGroups(missing: "–").count > 1
            ? "The arms' tasks differ (one baseline row each); the best arm of each is in bold."
            : "The best arm is in bold."
    }

    /// The headline row for `results/README.md`: the best arm, or the best arm of each task when their tasks differ.
    public var headline: String {
        let best = bestArms, metric = experiment.report.metric
        guard let first = best.first else { return "no complete runs yet" }
        guard best.count == 1 else {
            return "best per task: " + best.map { "`\(arms[$0].arm)` \(cell(arms[$0].values[metric]))" }.joined(separator: "; ")
                + " (test \(metric))"
        }
        let baselines = Set(arms.compactMap { $0.baseline[metric] })
        let baseline = baselines.count == 1 ? baselines.first.map { " (trivial baseline \(format($0)))" } ?? "" : ""
        return "best: `\(arms[first].arm)`, test \(metric) \(cell(arms[first].values[metric]))\(baseline)"
    }

    /// Finished runs over planned runs, e.g. "9/9".
    public var finishedRuns: String {
        "\(arms.reduce(0) { $0 + $1.complete + $1.diverged })/\(arms.reduce(0) { $0 + $1.planned })"
    }
}
