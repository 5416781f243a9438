import Foundation
import RNNLabData
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// The `task`, `model` and `training` sections already read while an experiment
/// is planned, by their structure (`ConfigNode.structuralKey`), with their
/// canonical JSON. The arms of a grid share most of their sections, and reading
/// a section depends only on its values (positions enter only errors, and a
/// section that read without error reads again without error), so each distinct
/// section is read and encoded once, and a run id is hashed from the sections'
/// JSON rather than encoding the whole configuration again.
struct SectionCache {
    /// The structural keys of one run's sections.
    struct Keys {
        var task: String
        var model: String
        var training: String
    }

    var tasks: [String: TaskSpecification] = [:]
    var models: [String: ModelSettings] = [:]
    /// The training configuration (its seed is set per run) and the batch size.
    var trainings: [String: (training: TrainingConfiguration, batchSize: Int)] = [:]
    private var taskJSON: [String: String] = [:]
    private var modelJSON: [String: String] = [:]
    /// A training section's JSON, split where its seed goes.
    private var trainingJSON: [String: [String]] = [:]
    /// Whether the composed JSON is `RunConfiguration.canonicalJSON()`, checked on the first run (nil before).
    private(set) var composes: Bool?

    /// A seed no file uses (the reader allows at most Int32.max), encoded in place of the run's seed.
    private static let placeholderSeed = UInt64.max - 58

    /// The run id of `configuration`, whose sections have `keys`: the same as `configuration.runID()`.
    mutating func runID(of configuration: RunConfiguration, keys: Keys) throws -> String {
        guard composes != false, let json = try composedJSON(of: configuration, keys: keys) else { return try configuration.runID() }
        if composes == nil {
            composes = json == (try configuration.canonicalJSON())
            if composes == false { return try configuration.runID() }
        }
        return String(SHA256.hex(of: Data(json.utf8)).prefix(16))
    }

    /// The canonical JSON (sorted keys) assembled from the sections' JSON; nil if the seed cannot be placed.
    private mutating func composedJSON(of configuration: RunConfiguration, keys: Keys) throws -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func encoded(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let task = try taskJSON[keys.task] ?? encoded(configuration.task)
        taskJSON[keys.task] = task
        let model = try modelJSON[keys.model] ?? encoded(configuration.model)
        modelJSON[keys.model] = model
        var parts = trainingJSON[keys.training]
        if parts == nil {
            var training = configuration.training
            training.seed = Self.placeholderSeed
            parts = try encoded(training).components(separatedBy: "\(Self.placeholderSeed)")
            trainingJSON[keys.training] = parts
        }
        guard let parts, parts.count == 2 else { return nil }
        let training = parts[0] + "\(configuration.training.seed)" + parts[1]
        return "{\"batchSize\":\(configuration.batchSize),\"model\":\(model),\"task\":\(task),\"training\":\(training)}"
    }
}

extension ConfigNode {
    /// A text that differs whenever two nodes' values differ (kinds, keys, order and
    /// lengths included, unlike `text`), and is the same when only positions differ.
    var structuralKey: String {
        var key = ""
        appendStructure(to: &key)
        return key
    }

    private func appendStructure(to key: inout String) {
        switch self {
        case .scalar(let value, _):
            key += "s\(value.utf8.count):"
            key += value
        case .sequence(let items, _):
            key += "[\(items.count):"
            for item in items { item.appendStructure(to: &key) }
        case .mapping(let entries, _):
            key += "{\(entries.count):"
            for entry in entries {
                key += "\(entry.key.utf8.count):"
                key += entry.key
                entry.value.appendStructure(to: &key)
            }
        }
    }
}
