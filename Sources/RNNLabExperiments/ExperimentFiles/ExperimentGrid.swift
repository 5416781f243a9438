import RNNLabRunStore

/// The run-defining parts of an experiment file while it is read: the base
/// sections, the compare axes, `exclude`, `include` and the profiles'
/// overrides, still as YAML nodes. `Experiment.parse` plans every profile from
/// it once; nothing keeps it afterwards.
struct ExperimentGrid {
    /// The `task`, `model` and `training` sections (with `budget` applied).
    var root: ConfigNode
    var axes: [(key: String, values: [ConfigNode])] = []
    /// Where `compare` is written (else the file's start), for an error about the grid's size.
    var comparePosition: SourcePosition
    var excluded: [[(key: String, value: ConfigNode)]] = []
    var included: [[(key: String, value: ConfigNode)]] = []
    var profileOverrides: [String: [(key: String, value: ConfigNode)]] = [:]

    init(root: ConfigNode) {
        self.root = root
        comparePosition = root.position
    }

    /// The runs of one profile before `exclude` (which can only remove some): the grid's
    /// points plus the `include` arms, times the seeds; `Int.max` if that overflows.
    func runCountBound(seeds: Int) -> Int {
        var points = axes.isEmpty && !included.isEmpty ? 0 : 1
        for axis in axes {
            let (product, overflow) = points.multipliedReportingOverflow(by: axis.values.count)
            if overflow { return Int.max }
            points = product
        }
        let (arms, overflowArms) = points.addingReportingOverflow(included.count)
        let (runs, overflowRuns) = arms.multipliedReportingOverflow(by: seeds)
        return overflowArms || overflowRuns ? Int.max : runs
    }

    /// Rejects a sweep of more than `ExperimentLimits.maximumRuns` runs per profile,
    /// counted from the axes' lengths before a single run is built.
    func checkSize(seeds: Int) throws {
        let runs = runCountBound(seeds: seeds)
        guard runs > ExperimentLimits.maximumRuns else { return }
        var parts: [String] = []
        if !axes.isEmpty { parts.append(axes.map { "\($0.values.count)" }.joined(separator: " × ") + " grid points") }
        if !included.isEmpty { parts.append("\(included.count) included arms") }
        let arms = parts.count > 1 ? "(\(parts.joined(separator: " + ")))" : parts.joined()
        let count = runs == Int.max ? "more than \(Int.max)" : "\(runs)"
        throw ExperimentError(position: comparePosition, key: axes.isEmpty ? "include" : "compare",
                              message: "the sweep has \(count) runs per profile (\(arms) × \(seeds) seeds), more than the limit of "
                              + "\(ExperimentLimits.maximumRuns): split it into several experiment files")
    }

    /// `node` with a profile's override set, unless it names a `task.KEY` or `model.KEY` that the node's task or
    /// model kind does not take (so one profile can shrink arms of different kinds: `task.length` applies to the
    /// adding problem, `task.delay` to copy memory).
    static func applying(_ key: String, _ value: ConfigNode, to node: ConfigNode) -> ConfigNode {
        let path = key.split(separator: ".").map(String.init)
        if path.count == 2, path[1] != "kind" {
            let kind = node.child([path[0], "kind"])?.text
            switch path[0] {
            case "task":
                if let kind, let keys = RunConfigurationReader.taskKinds[kind], !keys.contains(path[1]) { return node }
            case "model":
                if let keys = RunConfigurationReader.modelKeys[kind ?? "sequence"], !keys.contains(path[1]) { return node }
            default: break
            }
        }
        return node.setting(path, to: value)
    }

    /// Every arm of the grid (minus `exclude`, plus `include`) times every seed.
    /// Settings apply in order: the base sections, then the profile's overrides,
    /// then the arm's own keys. `profile` must be one of `profileOverrides`' keys.
    /// Time and memory are linear in the number of runs: each distinct section is
    /// read and encoded once (`SectionCache`), each arm once for all its seeds.
    func plan(profile: String?, seeds: [UInt64]) throws -> [PlannedRun] {
        try checkSize(seeds: seeds.count)
        guard let firstSeed = seeds.first else { return [] }
        var base = root
        let overrides = profile.map { profileOverrides[$0] ?? [] } ?? []
        for (key, value) in overrides { base = Self.applying(key, value, to: base) }
        var arms: [[(key: String, value: ConfigNode)]] = [[]]
        for axis in axes {
            arms = arms.flatMap { arm in axis.values.map { arm + [(axis.key, $0)] } }
        }
        arms.removeAll { arm in
            excluded.contains { point in point.allSatisfy { p in arm.contains { $0.key == p.key && $0.value == p.value } } }
        }
        // Without compare axes, `include` lists the arms (rather than adding to the lone base point).
        if axes.isEmpty && !included.isEmpty { arms = [] }
        arms += included
        var runs: [PlannedRun] = []
        runs.reserveCapacity(arms.count * seeds.count)
        var seen = Set<String>()
        var cache = SectionCache()
        let reader = RunConfigurationReader()
        for labelled in arms {
            let arm = labelled.filter { $0.key != Experiment.labelKey }
            var node = base
            for (key, value) in arm { node = node.setting(key.split(separator: ".").map(String.init), to: value) }
            // An arm that sets a whole section (`task: {...}`) gets the profile's overrides inside it again.
            for (key, value) in overrides where arm.contains(where: { key.hasPrefix($0.key + ".") }) {
                node = Self.applying(key, value, to: node)
            }
            let label = labelled.first { $0.key == Experiment.labelKey }?.value.text
                ?? (arm.isEmpty ? "base" : arm.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", "))
            // An explicit label counts as a setting, so that `reference.arm` can name it.
            let settings = labelled.map { ($0.key, $0.value.text) }
            var (configuration, keys) = try reader.read(node, seed: firstSeed, cache: &cache)
            for seed in seeds {
                configuration.training.seed = seed
                let id = try cache.runID(of: configuration, keys: keys)
                guard seen.insert(id).inserted else { continue }
                runs.append(PlannedRun(arm: label, settings: settings, seed: seed, configuration: configuration, runID: id))
            }
        }
        return runs
    }
}
