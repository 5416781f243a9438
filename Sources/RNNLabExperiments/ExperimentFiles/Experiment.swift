import Foundation
import RNNLabRunStore

/// One run an experiment plans: an arm (a point of the compare grid) and a seed.
public struct PlannedRun: Equatable, Sendable {
    /// The arm's label, e.g. "model.cell=lstm, training.clipping.threshold=1".
    public var arm: String
    /// The compare axes' values of the arm, in axis order.
    public var settings: [(key: String, value: String)]
    public var seed: UInt64
    public var configuration: RunConfiguration
    public var runID: String

    public static func == (a: PlannedRun, b: PlannedRun) -> Bool { a.runID == b.runID && a.arm == b.arm }
}

/// How the report ranks and shows an experiment.
public struct ReportSettings: Equatable, Sendable {
    /// The primary metric (a key of the task's metrics).
    public var metric: String
    public var lowerIsBetter: Bool
    /// More metrics to show as columns.
    public var columns: [String]
    /// Which plots to draw: "curves" (validation metric per epoch), "grad_norm" (gradient norm per step).
    public var plots: [String]
    /// When a run counts as a success (the report shows the success rate over seeds).
    public var success: SuccessCriterion? = nil
    /// Text to generate from each arm's first run (language models).
    public var samples: SampleSettings? = nil
}

/// A run succeeds when its test metric is below a fixed value or below a fraction of the task's baseline.
public struct SuccessCriterion: Equatable, Sendable {
    public var metric: String
    public enum Threshold: Equatable, Sendable {
        case below(Double)
        case belowBaselineFraction(Double)
    }
    public var threshold: Threshold

    public init(metric: String, threshold: Threshold) {
        self.metric = metric
        self.threshold = threshold
    }

    /// Whether `value` succeeds, given the task's baseline value of the metric.
    public func isSuccess(_ value: Double, baseline: Double?) -> Bool? {
        switch threshold {
        case .below(let limit): return value < limit
        case .belowBaselineFraction(let fraction): return baseline.map { value < fraction * $0 }
        }
    }

    /// How the criterion reads in a report, e.g. "test mse < 0.01".
    public var description: String {
        switch threshold {
        case .below(let limit): return "test \(metric) < \(limit)"
        case .belowBaselineFraction(let fraction): return "test \(metric) < \(fraction) × the baseline's"
        }
    }
}

/// Generation settings for the samples a language-model report shows.
public struct SampleSettings: Equatable, Sendable {
    public var prime: String
    public var length: Int
    public var temperature: Double

    /// The defaults of `report.samples`: no prime, 200 characters or tokens, temperature 1.
    public static let defaultPrime = ""
    public static let defaultLength = 200
    public static let defaultTemperature = 1.0
}

/// A published value to show beside an arm's result.
public struct Reference: Equatable, Sendable {
    /// The arm: every listed dotted key must have this value in the arm's settings.
    public var arm: [String: String]
    public var metric: String
    public var value: Double
    public var tolerance: Double
    /// Where it is published, e.g. "Chung et al. 2014, Table 2".
    public var source: String
    /// What our configuration does differently from the cited one, each a short sentence (`deviations:`); empty
    /// when the arm runs the paper's own configuration.
    public var deviations: [String] = []

    /// Whether an arm with these settings is the referenced one.
    public func matches(_ settings: [(key: String, value: String)]) -> Bool {
        arm.allSatisfy { key, value in settings.contains { $0.key == key && $0.value == value } }
    }
}

/// A declared comparison, read from `experiments/NAME.yaml` (schema in `docs/experiments.md`).
/// Reading the file resolves the typed runs of every profile once; `plan(profile:)` returns them.
public struct Experiment: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var file: String
    public var report: ReportSettings
    /// Read-only: the planned runs were resolved from them when the file was read.
    public private(set) var seeds: [UInt64]
    public private(set) var profiles: [String]
    /// Published values to compare with (`reference:`).
    public var references: [Reference] = []
    /// What the arms hold equal (`budget.equalize`) and why their updates differ, where they do.
    public var budget = ComparisonBudget()
    /// The planned runs of the default profile, resolved once when the file was read.
    private var defaultRuns: [PlannedRun] = []
    /// The planned runs of every declared profile, resolved once when the file was read.
    private var profileRuns: [String: [PlannedRun]] = [:]
    /// Where the file's top-level mapping starts, for errors about the file as a whole.
    private var position = SourcePosition(file: "", line: 1, column: 1)

    /// The key of an included arm's display name.
    static let labelKey = "label"
    static let topLevelKeys = ["name", "title", "description", "task", "model", "training", "compare", "exclude", "include",
                               "seeds", "budget", "report", "profiles", "reference"]

    /// Reads and validates an experiment file: every planned run's configuration
    /// (every profile included) is checked before anything runs.
    public static func load(path: String) throws -> Experiment {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ExperimentError(position: SourcePosition(file: path, line: 1, column: 1), key: "", message: "cannot read the file")
        }
        return try parse(text, file: path)
    }

    /// Parses experiment text (`file` names it in errors).
    public static func parse(_ text: String, file: String) throws -> Experiment {
        let reader = ConfigReader()
        let root = try ConfigNode.parse(text, file: file)
        let top = try reader.mapping(root, "", known: topLevelKeys)
        guard let nameNode = top["name"] else { throw ExperimentError(position: root.position, key: "name", message: "missing") }
        let name = try reader.scalar(nameNode, "name")
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil, !name.contains("..") else {
            throw ExperimentError(position: nameNode.position, key: "name",
                                  message: "'\(name)' must be letters, digits, '-', '_' or '.' (it names a folder under results/)")
        }
        var experiment = Experiment(
            name: name, title: try top["title"].map { try reader.scalar($0, "title") } ?? name,
            description: try top["description"].map { try reader.scalar($0, "description").trimmingCharacters(in: .whitespacesAndNewlines) } ?? "",
            file: file, report: ReportSettings(metric: "loss", lowerIsBetter: true, columns: [], plots: ["curves"]),
            seeds: [1], profiles: [])
        experiment.position = root.position
        var grid = ExperimentGrid(root: root)
        var metrics = ReportMetricNames()

        if let compare = top["compare"] {
            guard case .mapping(let entries, _) = compare else {
                throw ExperimentError(position: compare.position, key: "compare", message: "expected a mapping of config keys to lists of values")
            }
            for entry in entries {
                try checkPath(entry.key, at: entry.keyPosition, key: "compare")
                guard case .sequence(let values, _) = entry.value, !values.isEmpty else {
                    throw ExperimentError(position: entry.value.position, key: "compare.\(entry.key)", message: "expected a non-empty list of values")
                }
                grid.axes.append((entry.key, values))
            }
            grid.comparePosition = compare.position
        }
        func points(_ node: ConfigNode?, _ key: String) throws -> [[(key: String, value: ConfigNode)]] {
            guard let node else { return [] }
            guard case .sequence(let items, _) = node else {
                throw ExperimentError(position: node.position, key: key, message: "expected a list of {config key: value} mappings")
            }
            return try items.map { item in
                guard case .mapping(let entries, _) = item else {
                    throw ExperimentError(position: item.position, key: key, message: "expected a mapping of config keys to values")
                }
                return try entries.map { entry in
                    // An included arm may name itself: `label: IRNN`.
                    if key == "include" && entry.key == Experiment.labelKey {
                        _ = try reader.scalar(entry.value, "include.label")
                        return (entry.key, entry.value)
                    }
                    try checkPath(entry.key, at: entry.keyPosition, key: key)
                    return (entry.key, entry.value)
                }
            }
        }
        grid.excluded = try points(top["exclude"], "exclude")
        grid.included = try points(top["include"], "include")
        /// `seeds` (or a profile's `seeds`): a count (seeds 1…N) or a list of distinct seeds.
        func readSeeds(_ seeds: ConfigNode, _ key: String) throws -> [UInt64] {
            let result: [UInt64]
            switch seeds {
            case .sequence(let items, _):
                guard !items.isEmpty else {
                    throw ExperimentError(position: seeds.position, key: key, message: "expected at least one seed")
                }
                result = try items.map { UInt64(try reader.int($0, key, in: 0...Int(Int32.max))) }
            case .scalar:
                let count = try reader.int(seeds, key, in: 1...1000)
                result = (1...count).map(UInt64.init)
            default:
                throw ExperimentError(position: seeds.position, key: key, message: "expected a count or a list of seeds")
            }
            guard Set(result).count == result.count else {
                throw ExperimentError(position: seeds.position, key: key, message: "seeds repeat")
            }
            return result
        }
        if let seeds = top["seeds"] { experiment.seeds = try readSeeds(seeds, "seeds") }
        // A sweep too large to plan is rejected from its axes' lengths, before any run is built.
        try grid.checkSize(seeds: experiment.seeds.count)
        // Unequal updates are reported at `budget.equalize` or `budget` where the file has them, else at the arms.
        var budgetPosition = top["compare"]?.position ?? top["include"]?.position ?? root.position
        if let budget = top["budget"] {
            let f = try reader.mapping(budget, "budget", known: ComparisonBudget.keys)
            for (key, value) in f where ComparisonBudget.trainingKeys.contains(key) {
                grid.root = grid.root.setting(["training", key], to: value)
            }
            if let node = f["equalize"] {
                let choice = try reader.choice(node, "budget.equalize", BudgetEqualization.allCases.map(\.rawValue))
                experiment.budget.equalize = BudgetEqualization(rawValue: choice) ?? .epochs
                experiment.budget.isDeclared = true
                budgetPosition = node.position
            } else {
                budgetPosition = budget.position
            }
            if let node = f["unequal_updates"] {
                let reason = try reader.scalar(node, "budget.unequal_updates").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !reason.isEmpty else {
                    throw ExperimentError(position: node.position, key: "budget.unequal_updates", message: "expected a sentence saying why the arms' updates differ")
                }
                experiment.budget.unequalUpdates = reason
            }
        }
        var profileSeeds: [String: [UInt64]] = [:]
        if let profiles = top["profiles"] {
            guard case .mapping(let entries, _) = profiles else {
                throw ExperimentError(position: profiles.position, key: "profiles", message: "expected a mapping of profile names to overrides")
            }
            for entry in entries {
                guard case .mapping(let overrides, _) = entry.value else {
                    throw ExperimentError(position: entry.value.position, key: "profiles.\(entry.key)", message: "expected a mapping of config keys to values")
                }
                // A profile may plan fewer seeds (`seeds: 1` for a smoke test); the other keys are config overrides.
                if let seeds = overrides.first(where: { $0.key == "seeds" }) {
                    profileSeeds[entry.key] = try readSeeds(seeds.value, "profiles.\(entry.key).seeds")
                }
                grid.profileOverrides[entry.key] = try overrides.filter { $0.key != "seeds" }.map { override in
                    try checkPath(override.key, at: override.keyPosition, key: "profiles.\(entry.key)")
                    return (override.key, override.value)
                }
            }
            experiment.profiles = entries.map(\.key)
        }
        if let report = top["report"] {
            let f = try reader.mapping(report, "report", known: ["metric", "direction", "columns", "plots", "success", "samples"])
            if let metric = f["metric"] {
                experiment.report.metric = try reader.scalar(metric, "report.metric")
                metrics.primary = (experiment.report.metric, metric.position)
            }
            if let direction = f["direction"] {
                experiment.report.lowerIsBetter = try reader.choice(direction, "report.direction", ["lower", "higher"]) == "lower"
                metrics.direction = (experiment.report.lowerIsBetter, direction.position)
            }
            for (key, keyPath) in [("columns", \ReportSettings.columns), ("plots", \ReportSettings.plots)] {
                guard let node = f[key] else { continue }
                guard case .sequence(let items, _) = node else {
                    throw ExperimentError(position: node.position, key: "report.\(key)", message: "expected a list")
                }
                experiment.report[keyPath: keyPath] = try items.map {
                    key == "plots" ? try reader.choice($0, "report.plots", ["curves", "grad_norm"]) : try reader.scalar($0, "report.columns")
                }
                if key == "columns" { metrics.named += zip(experiment.report.columns, items).map { ("report.columns", $0, $1.position) } }
            }
            if let node = f["success"] {
                let s = try reader.mapping(node, "report.success", known: ["metric", "below", "below_baseline_fraction"])
                guard let metric = s["metric"] else { throw ExperimentError(position: node.position, key: "report.success.metric", message: "missing") }
                let threshold: SuccessCriterion.Threshold
                switch (s["below"], s["below_baseline_fraction"]) {
                case (let below?, nil): threshold = .below(try reader.double(below, "report.success.below", in: -1e12...1e12))
                case (nil, let fraction?):
                    threshold = .belowBaselineFraction(try reader.double(fraction, "report.success.below_baseline_fraction", in: 0...1e6))
                default:
                    throw ExperimentError(position: node.position, key: "report.success",
                                          message: "expected exactly one of 'below' and 'below_baseline_fraction'")
                }
                experiment.report.success = SuccessCriterion(metric: try reader.scalar(metric, "report.success.metric"), threshold: threshold)
                metrics.named.append(("report.success.metric", experiment.report.success?.metric ?? "", metric.position))
            }
            if let node = f["samples"] {
                let s = try reader.mapping(node, "report.samples", known: ["prime", "length", "temperature"])
                experiment.report.samples = SampleSettings(
                    prime: try s["prime"].map { try reader.scalar($0, "report.samples.prime") } ?? SampleSettings.defaultPrime,
                    length: try s["length"].map { try reader.int($0, "report.samples.length", in: 1...100_000) } ?? SampleSettings.defaultLength,
                    temperature: try s["temperature"].map { try reader.double($0, "report.samples.temperature", in: 0...100) } ?? SampleSettings.defaultTemperature)
                metrics.samples = node.position
            }
        }
        var defaultRuns: [PlannedRun]?
        if let references = top["reference"] {
            guard case .sequence(let items, _) = references else {
                throw ExperimentError(position: references.position, key: "reference", message: "expected a list of published values")
            }
            for item in items {
                let f = try reader.mapping(item, "reference", known: ["arm", "metric", "value", "tolerance", "source", "deviations"])
                func required(_ key: String) throws -> ConfigNode {
                    guard let node = f[key] else { throw ExperimentError(position: item.position, key: "reference.\(key)", message: "missing") }
                    return node
                }
                var arm: [String: String] = [:]
                if let armNode = f["arm"] {
                    guard case .mapping(let entries, _) = armNode else {
                        throw ExperimentError(position: armNode.position, key: "reference.arm", message: "expected a mapping of config keys to values")
                    }
                    for entry in entries {
                        if entry.key != Experiment.labelKey { try checkPath(entry.key, at: entry.keyPosition, key: "reference.arm") }
                        arm[entry.key] = entry.value.text
                    }
                }
                let metricNode = try required("metric")
                experiment.references.append(Reference(
                    arm: arm, metric: try reader.scalar(metricNode, "reference.metric"),
                    value: try reader.double(try required("value"), "reference.value", in: -1e12...1e12),
                    tolerance: try reader.double(try required("tolerance"), "reference.tolerance", in: 0...1e12),
                    source: try reader.scalar(try required("source"), "reference.source"),
                    deviations: try f["deviations"].map { node -> [String] in
                        guard case .sequence(let items, _) = node, !items.isEmpty else {
                            throw ExperimentError(position: node.position, key: "reference.deviations",
                                                  message: "expected a non-empty list of sentences, each saying what differs from the cited configuration")
                        }
                        return try items.map { try reader.scalar($0, "reference.deviations").trimmingCharacters(in: .whitespacesAndNewlines) }
                    } ?? []))
                metrics.named.append(("reference.metric", experiment.references[experiment.references.count - 1].metric, metricNode.position))
                if defaultRuns == nil { defaultRuns = try grid.plan(profile: nil, seeds: experiment.seeds) }
                guard (defaultRuns ?? []).contains(where: { experiment.references[experiment.references.count - 1].matches($0.settings) }) else {
                    throw ExperimentError(position: item.position, key: "reference.arm", message: "matches no arm of the experiment")
                }
            }
        }
        // Validate the base sections (even values every arm overrides), then every run
        // of every profile, so that nothing starts from an invalid file.
        // The runs are resolved here, once; `plan(profile:)` returns them.
        _ = try RunConfigurationReader().read(grid.root, seed: experiment.seeds[0])
        experiment.defaultRuns = try defaultRuns ?? grid.plan(profile: nil, seeds: experiment.seeds)
        for profile in experiment.profiles {
            experiment.profileRuns[profile] = try grid.plan(profile: profile, seeds: profileSeeds[profile] ?? experiment.seeds)
        }
        // What the arms hold equal, and whether their planned updates differ without a declared reason (every profile).
        let held = try checkBudget(experiment.budget, runs: experiment.defaultRuns, at: budgetPosition)
        for profile in experiment.profiles { _ = try checkBudget(experiment.budget, runs: experiment.profileRuns[profile] ?? [], at: budgetPosition) }
        experiment.budget.equalize = held
        // The report's metrics must be ones the tasks declare; the direction follows from the primary one.
        let tasks = ([experiment.defaultRuns] + experiment.profiles.compactMap { experiment.profileRuns[$0] }).flatMap { $0 }.map(\.configuration.task)
        experiment.report.lowerIsBetter = try metrics.check(against: tasks, at: root.position)
        return experiment
    }

    /// Compare and profile keys are dotted paths into task, model or training.
    private static func checkPath(_ path: String, at position: SourcePosition, key: String) throws {
        // A whole `task` or `model` section (an arm of another task or model kind), or a dotted key inside a section.
        guard let section = path.split(separator: ".").first, ["task", "model", "training"].contains(String(section)),
              path.split(separator: ".").count >= 2 || path == "task" || path == "model" else {
            throw ExperimentError(position: position, key: "\(key).\(path)",
                                  message: "expected a dotted config key starting with task., model. or training. (e.g. model.cell), or a whole task or model section")
        }
    }

    /// The runs of this experiment: every arm of the grid (minus `exclude`,
    /// plus `include`) times every seed, of the default profile (nil) or of a
    /// declared profile. They were resolved when the file was read.
    public func plan(profile: String? = nil) throws -> [PlannedRun] {
        guard let profile else { return defaultRuns }
        guard let runs = profileRuns[profile] else {
            throw ExperimentError(position: position, key: "profiles",
                                  message: "no profile '\(profile)' (profiles: \(profiles.joined(separator: ", ")))")
        }
        return runs
    }
}
