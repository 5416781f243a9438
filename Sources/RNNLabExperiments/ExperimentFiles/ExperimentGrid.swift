import RNNLabRunStore

/// The run-defining parts of an experiment file while it is read: the base
/// sections, the compare axes, `exclude`, `include` and the profiles'
/// overrides, still as YAML nodes. `Experiment.parse` plans every profile from
/// it once; nothing keeps it afterwards.
struct ExperimentGrid {
    /// The `task`, `model` and `training` sections (with `budget` applied).
    var root: ConfigNode
    var axes: [(key: String, values: [ConfigNode])] = []
    var excluded: [[(key: String, value: ConfigNode)]] = []
    var included: [[(key: String, value: ConfigNode)]] = []
    var profileOverrides: [String: [(key: String, value: ConfigNode)]] = [:]

    /// Every arm of the grid (minus `exclude`, plus `include`) times every seed.
    /// Settings apply in order: the base sections, then the profile's overrides,
    /// then the arm's own keys. `profile` must be one of `profileOverrides`' keys.
    func plan(profile: String?, seeds: [UInt64]) throws -> [PlannedRun] {
        var base = root
        if let profile {
            for (key, value) in profileOverrides[profile] ?? [] { base = base.setting(key.split(separator: ".").map(String.init), to: value) }
        }
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
        var seen = Set<String>()
        for labelled in arms {
            let arm = labelled.filter { $0.key != Experiment.labelKey }
            var node = base
            for (key, value) in arm { node = node.setting(key.split(separator: ".").map(String.init), to: value) }
            let label = labelled.first { $0.key == Experiment.labelKey }?.value.text
                ?? (arm.isEmpty ? "base" : arm.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", "))
            for seed in seeds {
                let configuration = try RunConfigurationReader().read(node, seed: seed)
                let id = try configuration.runID()
                guard seen.insert(id).inserted else { continue }
                // An explicit label counts as a setting, so that `reference.arm` can name it.
                runs.append(PlannedRun(arm: label, settings: labelled.map { ($0.key, $0.value.text) }, seed: seed,
                                       configuration: configuration, runID: id))
            }
        }
        return runs
    }
}
