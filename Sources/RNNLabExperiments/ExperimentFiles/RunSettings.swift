import RNNLabRunStore

extension RunConfiguration {
    /// The configuration that dotted settings describe, e.g. `("model.cell", "gru")`,
    /// `("training.clipping.kind", "global_norm")`: read exactly as the `task`, `model`
    /// and `training` sections of an experiment file holding them would be, with the
    /// same defaults and checks, so that the same settings give the same run id.
    /// Errors name the setting's key; their position is the setting's index (line) in `source`.
    public static func read(settings: [(key: String, value: String)], seed: UInt64, source: String) throws -> RunConfiguration {
        var root = ConfigNode.mapping([], SourcePosition(file: source, line: 1, column: 1))
        for (index, setting) in settings.enumerated() {
            let value = ConfigNode.scalar(setting.value, SourcePosition(file: source, line: index + 1, column: 1))
            root = root.setting(setting.key.split(separator: ".").map(String.init), to: value)
        }
        return try RunConfigurationReader().read(root, seed: seed)
    }
}
