import RNNLabRunStore

/// The registry of model families: one line per family.
public enum ModelFamilies {
    /// Every family, in the order they are asked whether they train a configuration.
    public static let all: [any ModelFamily] = [
        EncoderDecoderFamily(),
        TCNFamily(),
        TransformerFamily(),
        SequenceFamily(),
    ]

    /// The family that trains `configuration`: the first in `all` that accepts it. This is the one
    /// place that decides which family a run belongs to.
    public static func family(for configuration: RunConfiguration) throws -> any ModelFamily {
        guard let family = all.first(where: { $0.accepts(configuration) }) else {
            throw ModelFamilyError.noFamily(task: "\(configuration.task)")
        }
        return family
    }
}

/// A configuration no registered family trains.
public enum ModelFamilyError: Error, Equatable, CustomStringConvertible {
    case noFamily(task: String)

    public var description: String {
        switch self {
        case .noFamily(let task): "no model family trains this run (task: \(task))"
        }
    }
}
