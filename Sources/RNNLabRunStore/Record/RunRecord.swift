import Foundation
import RNNLabTraining

/// The committed record of one finished run: `results/NAME/runs/RUN_ID.json` (schema in `docs/records.md`).
///
/// A record holds everything a report, `rnnlab table`, `show`, `status`, `list` and `verify` need, so that
/// they work on a fresh clone with no run file and no data directory. The HDF5 run file beside it stays the
/// full artifact (weights, checkpoints, every step) and is not committed.
public struct RunRecord: Codable, Equatable, Sendable {
    /// The `format` field of every record file.
    public static let format = "rnnlab-run-record"
    /// The schema version this code writes and reads.
    public static let schemaVersion = 1

    /// The experiment the run belongs to.
    public var experiment: String
    public var runID: String
    /// The resolved configuration the run id is the hash of.
    public var configuration: RunConfiguration
    /// How the run ended: complete or diverged (a record is only written for finished runs).
    public var status: Status
    /// Why a diverged run stopped ("diverged at step 412: …"); empty for complete runs.
    public var statusDetail: String
    public var provenance: Provenance?
    /// ISO 8601 times of the run file's first write and of its last.
    public var created: String
    public var updated: String
    /// Seconds of training, summed over the processes that trained the run.
    public var trainingSeconds: Double
    /// The epoch (from 1) of the lowest validation loss, the one `finalMetrics` were measured at.
    public var bestEpoch: Int?
    /// Every epoch's metrics, in order.
    public var epochs: [Epoch]
    /// The test metrics at the best epoch.
    public var finalMetrics: [String: Double]
    /// The per-step series, downsampled to at most `StepSeries.maximumBuckets` buckets.
    public var steps: StepSeries
    /// SHA-256 digests of the final weights.
    public var weights: WeightDigests
    /// What a report shows that needs the weights or the data: baseline, sample, heat maps.
    public var report: ReportInputs

    /// How a recorded run ended.
    public enum Status: String, Codable, Sendable {
        case complete, diverged
    }

    /// One epoch's figures, exactly as the run file holds them (the best epoch is `RunRecord.bestEpoch`).
    public struct Epoch: Codable, Equatable, Sendable {
        public var epoch: Int
        public var trainingLoss: Double
        public var validationMetrics: [String: Double]
        public var testMetrics: [String: Double]
        public var learningRate: Double
        /// Seconds since the start of the process that trained this epoch.
        public var wallSeconds: Double

        enum CodingKeys: String, CodingKey {
            case epoch, learningRate = "learning_rate", testMetrics = "test", trainingLoss = "train_loss"
            case validationMetrics = "validation", wallSeconds = "wall_seconds"
        }
    }

    /// The report's inputs that today's runs compute from weights or data, once, when the record is written.
    public struct ReportInputs: Codable, Equatable, Sendable {
        /// The task's trivial baseline on the test split, by metric.
        public var baseline: [String: Double]
        /// Text generated for the experiment's `report.samples`, when it asks for samples.
        public var sample: Sample?
        /// The run's heat maps (attention or attention pooling), for the report's figures.
        public var heatMaps: [HeatMapExample]

        public init(baseline: [String: Double] = [:], sample: Sample? = nil, heatMaps: [HeatMapExample] = []) {
            self.baseline = baseline
            self.sample = sample
            self.heatMaps = heatMaps
        }

        enum CodingKeys: String, CodingKey {
            case baseline, sample, heatMaps = "heat_maps"
        }
    }

    /// Text generated from the final weights, with the settings it was generated with.
    public struct Sample: Codable, Equatable, Sendable {
        public var prime: String
        public var length: Int
        public var temperature: Double
        /// The text, or why there is none ("(no sample: …)").
        public var text: String

        public init(prime: String, length: Int, temperature: Double, text: String) {
            self.prime = prime
            self.length = length
            self.temperature = temperature
            self.text = text
        }
    }

    enum CodingKeys: String, CodingKey {
        case experiment, runID = "run_id", configuration, status, statusDetail = "status_detail", provenance, created, updated
        case trainingSeconds = "training_seconds", bestEpoch = "best_epoch", epochs, finalMetrics = "final", steps, weights, report
    }
}

extension RunRecord.Epoch {
    /// The record of a run file's epoch.
    public init(_ epoch: EpochRecord) {
        self.init(epoch: epoch.epoch, trainingLoss: epoch.trainingLoss, validationMetrics: epoch.validationMetrics,
                  testMetrics: epoch.testMetrics, learningRate: epoch.learningRate, wallSeconds: epoch.wallSeconds)
    }
}

extension RunRecord {
    /// The store's state of a recorded run: complete or diverged.
    public var state: RunState {
        switch status {
        case .complete: .complete
        case .diverged: .diverged(statusDetail)
        }
    }

    /// The training loss of the last epoch, when it is finite.
    public var lastTrainingLoss: Double? {
        epochs.last.flatMap { $0.trainingLoss.isFinite ? $0.trainingLoss : nil }
    }
}
