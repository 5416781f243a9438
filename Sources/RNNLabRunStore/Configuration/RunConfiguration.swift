import Foundation
import RNNLabData
import RNNLabTasks
import RNNLabTraining

/// Everything that determines a run's numbers: task, model, training and batch size.
public struct RunConfiguration: Codable, Equatable, Sendable {
    public var task: TaskSpecification
    public var model: ModelSettings
    public var training: TrainingConfiguration
    public var batchSize: Int

    /// Sequences (or stream rows) per batch when none is given.
    public static let defaultBatchSize = 32

    public init(task: TaskSpecification, model: ModelSettings, training: TrainingConfiguration, batchSize: Int = defaultBatchSize) {
        self.task = task
        self.model = model
        self.training = training
        self.batchSize = batchSize
    }

    /// The configuration as canonical JSON (sorted keys), as stored in run files.
    public func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A stable identifier: the first 16 hex digits of the SHA-256 of the canonical JSON
    /// (which includes the seed), so the same configuration always maps to the same run.
    public func runID() throws -> String {
        String(SHA256.hex(of: Data(try canonicalJSON().utf8)).prefix(16))
    }
}
