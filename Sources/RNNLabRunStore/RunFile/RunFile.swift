import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// One run stored as one HDF5 file (layout in `docs/hdf5-layout.md` and `RunFileLayout`; written by
/// `RunFile+Writing.swift`, read by `RunFile+Reading.swift`).
///
/// The file is always written whole to a temporary file beside its final
/// path, synced, and renamed into place, so a reader never sees a partial
/// file.
public struct RunFile {
    public static let format = "rnnlab-run"
    public static let formatVersion: Int64 = 2

    public var runID: String
    /// The experiment the run belongs to ("adhoc" for `rnnlab train`).
    public var experiment: String = "adhoc"
    public var configuration: RunConfiguration
    /// How far the run got: running, complete or diverged.
    public var status: Status
    public var statusDetail: String
    public var tokenizer: StoredTokenizer?
    public var provenance: Provenance?
    public var steps: [StepRecord]
    public var epochs: [EpochRecord]
    public var outcome: RunOutcome?
    /// `state_dict` name → (shape, values), at initialisation and at the end.
    public var initialWeights: [(name: String, shape: [Int], values: [Float])]
    /// The weights at the end (or, while running, at the last checkpoint).
    public var finalWeights: [(name: String, shape: [Int], values: [Float])]
    /// What resuming needs, while the run is not finished: the trainer's state
    /// and the optimizer's state tensors (by `NAME.STATE`).
    public var checkpoint: Trainer<Float>.Checkpoint?
    public var optimizerState: [(name: String, shape: [Int], values: [Float])] = []
    /// ISO 8601 times of the first write and of this write.
    public var created: String = ""
    public var updated: String = ""
    /// The test metrics at the best epoch, as stored under `/final` (read back by `read(from:)`).
    public var finalMetrics: [String: Double] = [:]
    /// Seconds of training over the recorded epochs. Each epoch's `wallSeconds` counts from the run's start, but
    /// in files written before checkpoints kept the time it restarted at 0 on resume; a drop marks a resume, and
    /// the seconds before it are added.
    public var trainingSeconds: Double {
        var total = 0.0, previous = 0.0
        for epoch in epochs where epoch.wallSeconds.isFinite {
            if epoch.wallSeconds < previous { total += previous }
            previous = epoch.wallSeconds
        }
        return total + previous
    }
    /// The epoch (from 1) of the lowest validation loss, the one `finalMetrics` were measured at (`/final@best_epoch`).
    public var bestEpoch: Int?

    public init(runID: String, configuration: RunConfiguration, status: Status, statusDetail: String,
                tokenizer: StoredTokenizer?, provenance: Provenance?, steps: [StepRecord], epochs: [EpochRecord],
                outcome: RunOutcome?, initialWeights: [(name: String, shape: [Int], values: [Float])],
                finalWeights: [(name: String, shape: [Int], values: [Float])]) {
        self.runID = runID
        self.configuration = configuration
        self.status = status
        self.statusDetail = statusDetail
        self.tokenizer = tokenizer
        self.provenance = provenance
        self.steps = steps
        self.epochs = epochs
        self.outcome = outcome
        self.initialWeights = initialWeights
        self.finalWeights = finalWeights
    }

    /// The parameters of a model as `state_dict` entries.
    public static func weights(of parameters: [Parameter<Float>]) -> [(name: String, shape: [Int], values: [Float])] {
        parameters.map { ($0.name, $0.shape, $0.value.array) }
    }
}
