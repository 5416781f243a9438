import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// What the report of an experiment is made from: plain values collected from its run records
/// (`ExperimentReport.collect`). The renderers (Render/) turn these values into text; they read no files.
public struct ExperimentReport {
    /// One arm's results over its seeds.
    public struct ArmSummary {
        public var arm: String
        public var planned: Int
        public var complete: Int
        public var diverged: Int
        /// Runs that finished but ended worse than the trivial baseline (`Outcome.isExploded`); counted apart from
        /// `complete` and left out of `values`, so they are never averaged into the arm's mean.
        public var exploded: Int = 0
        /// metric → test values at the best epoch of each complete run.
        public var values: [String: [Double]]
        /// metric → the seed of the run each of `values[metric]` came from, in the same order (for paired tests).
        public var valueSeeds: [String: [UInt64]] = [:]
        /// What runs of the same seed share with another arm's: the JSON of the task configuration and the batch size.
        /// Two arms whose keys are equal draw the same data order from a seed (`docs/experiments.md`, "Paired seeds").
        public var pairingKey: String? = nil
        /// Parameter updates of each complete run.
        public var updates: [Int] = []
        /// Training input tokens of each complete run whose record counts them.
        public var tokens: [Int] = []
        /// The early-stopping patience of the arm's runs (nil: none).
        public var patience: Int? = nil
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
        /// Finished runs (complete, exploded or diverged).
        public var finished: Int { complete + exploded + diverged }
        /// Finished runs that meet `report.success`.
        public var successes: Int = 0
        /// Complete runs still improving when their budget ended them: not stopped early, and their best validation
        /// epoch in the last 10% of the epochs they trained (`isStillImproving`).
        public var stillImproving: Int {
            epochs.filter { Self.isStillImproving(trained: $0.run, best: $0.best, stoppedEarly: $0.stoppedEarly) }.count
        }
        /// Whether any complete run was still improving at the end of its budget: the arm is budget-limited.
        public var isBudgetLimited: Bool { stillImproving > 0 }

        /// A run ended by its budget (not by early stopping) is still improving when its best validation epoch is in
        /// the last 10% of the epochs it trained (the last ⌈0.1 × trained⌉ epochs; at least the last epoch).
        public static func isStillImproving(trained: Int, best: Int, stoppedEarly: Bool) -> Bool {
            guard !stoppedEarly, trained > 0 else { return false }
            let lastTenth = max(1, Int((0.1 * Double(trained)).rounded(.up)))
            return best > trained - lastTenth
        }
        /// Epochs each complete run (exploded ones included, so `stillImproving` counts them too) trained, its best validation epoch (the one its test values are from), and
        /// whether early stopping ended it (rather than its budget of epochs, steps or wall clock).
        public var epochs: [(run: Int, best: Int, stoppedEarly: Bool)] = []
        /// Text generated from the arm's first complete run (`report.samples`): its run id and the text.
        public var sample: (runID: String, text: String)? = nil

        /// An arm's summary from its values; everything not given is empty.
        public init(arm: String, planned: Int, complete: Int, diverged: Int, values: [String: [Double]] = [:],
                    seconds: Double? = nil, runIDs: [String] = [], curves: [Int: [Double]] = [:],
                    gradientNorms: [Int: [Double]] = [:], baseline: [String: Double] = [:],
                    settings: [(key: String, value: String)] = [], successes: Int = 0,
                    epochs: [(run: Int, best: Int, stoppedEarly: Bool)] = [], sample: (runID: String, text: String)? = nil) {
            self.arm = arm
            self.planned = planned
            self.complete = complete
            self.diverged = diverged
            self.values = values
            self.seconds = seconds
            self.runIDs = runIDs
            self.curves = curves
            self.gradientNorms = gradientNorms
            self.baseline = baseline
            self.settings = settings
            self.successes = successes
            self.epochs = epochs
            self.sample = sample
        }
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
    /// Attention heat maps of sequence-to-sequence experiments (and attention-pooling maps of sentiment ones).
    public var attentionFigures: [AttentionFigure] = []
    /// Bytes of the records the report is made from.
    public var recordBytes: Int = 0
    /// Planned runs that other processes were still computing when the report was written, with who held each
    /// (set by `rnnlab run`); when not empty, the report is partial and says so.
    public var heldElsewhere: [(runID: String, owner: String)] = []

    /// A report from its values; everything not given is empty.
    public init(experiment: Experiment, profile: String?, arms: [ArmSummary], provenance: Provenance? = nil, totalSeconds: Double,
                wallClock: (start: Date, end: Date)? = nil, untrusted: [(path: String, reason: String)] = [],
                attentionFigures: [AttentionFigure] = []) {
        self.experiment = experiment
        self.profile = profile
        self.arms = arms
        self.provenance = provenance
        self.totalSeconds = totalSeconds
        self.wallClock = wallClock
        self.untrusted = untrusted
        self.attentionFigures = attentionFigures
    }
}

/// One attention heat map of a report: a test example decoded by an arm's first complete run.
public struct AttentionFigure: Sendable {
    public var arm: String
    /// The SVG file's name in the report's folder.
    public var fileName: String
    /// The Markdown caption under the figure.
    public var caption: String
    /// The weights to draw (rendered by `AttentionHeatMap.render`).
    public var heatMap: AttentionHeatMap

    public init(arm: String, fileName: String, caption: String, heatMap: AttentionHeatMap) {
        self.arm = arm
        self.fileName = fileName
        self.caption = caption
        self.heatMap = heatMap
    }
}
