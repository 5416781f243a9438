/// The HDF5 layout of a run file (`docs/hdf5-layout.md`): every group, dataset and attribute path, written once.
///
/// The writer (`RunFileWriter`), the reader (`RunFileReader`) and the checksum (`RunChecksum`) all take their
/// paths from here, so a path cannot differ between them.
public enum RunFileLayout {
    /// An attribute on a group or dataset.
    public struct Attribute: Sendable, Equatable {
        /// The group or dataset it is attached to.
        public let object: String
        public let name: String
        /// Whether the run file's checksum covers it (the format marker, the checksum itself and the
        /// copies of configuration fields on `/config` are not covered).
        public let isChecksummed: Bool

        init(_ object: String, _ name: String, isChecksummed: Bool = true) {
            self.object = object
            self.name = name
            self.isChecksummed = isChecksummed
        }

        /// Its key in the checksum: `OBJECT@NAME`.
        public var checksumPath: String { "\(object)@\(name)" }
    }

    // MARK: Root

    public static let root = "/"
    public static let format = Attribute(root, "format", isChecksummed: false)
    public static let formatVersion = Attribute(root, "format_version")
    public static let checksum = Attribute(root, "checksum", isChecksummed: false)
    public static let runID = Attribute(root, "run_id")
    public static let experiment = Attribute(root, "experiment")
    public static let status = Attribute(root, "status")
    public static let statusDetail = Attribute(root, "status_detail")
    public static let created = Attribute(root, "created")
    public static let updated = Attribute(root, "updated")

    // MARK: Configuration and tokenizer

    /// The canonical JSON of the run's configuration.
    public static let configuration = "/config"
    public static let configurationSeed = Attribute(configuration, "seed", isChecksummed: false)
    public static let configurationCell = Attribute(configuration, "cell", isChecksummed: false)
    /// The JSON of the stored tokenizer (runs whose task has one).
    public static let tokenizer = "/tokenizer"

    // MARK: Provenance

    public static let provenance = "/provenance"
    public static let gitCommit = Attribute(provenance, "git_commit")
    public static let gitDirty = Attribute(provenance, "git_dirty")
    public static let rnnlabVersion = Attribute(provenance, "rnnlab_version")
    public static let swiftVersion = Attribute(provenance, "swift_version")
    public static let blas = Attribute(provenance, "blas")
    public static let blasThreads = Attribute(provenance, "blas_threads")
    public static let hdf5 = Attribute(provenance, "hdf5")
    public static let cpu = Attribute(provenance, "cpu")
    public static let commandLine = Attribute(provenance, "command_line")

    // MARK: Metrics

    /// One column per step field.
    public static let stepMetrics = "/metrics/step"
    /// One column per epoch field and per split and task metric (`valid_NAME`, `test_NAME`).
    public static let epochMetrics = "/metrics/epoch"
    public static let stepChunk = 4096
    public static let epochChunk = 256
    /// The step columns, in the order they are written.
    public enum StepColumn: String, CaseIterable, Sendable {
        case step, epoch, loss
        case gradientNormBefore = "grad_norm_before"
        case gradientNormAfter = "grad_norm_after"
        case learningRate = "learning_rate"
        case wallSeconds = "wall_seconds"
        /// Input tokens of the update; absent from files written before it was recorded.
        case tokens

        public var path: String { RunFileLayout.stepMetrics + "/" + rawValue }
    }
    /// The fixed epoch columns (before the task metrics' columns).
    public enum EpochColumn: String, CaseIterable, Sendable {
        case epoch
        case trainingLoss = "train_loss"
        case learningRate = "learning_rate"
        case wallSeconds = "wall_seconds"
    }
    public static let validationPrefix = "valid_"
    public static let testPrefix = "test_"

    public static func epochColumn(_ name: String) -> String { epochMetrics + "/" + name }

    // MARK: Final metrics

    /// The test metrics at the best validation epoch (`test_NAME` scalars) and the run's counts.
    public static let final = "/final"
    public static let epochsCompleted = Attribute(final, "epochs_completed")
    public static let steps = Attribute(final, "steps")
    public static let bestEpoch = Attribute(final, "best_epoch")
    /// `/final`'s integer attributes.
    public static let finalCounts = [epochsCompleted, steps, bestEpoch]

    public static func finalMetric(_ name: String) -> String { final + "/" + testPrefix + name }

    // MARK: Weights and checkpoint

    /// The weights at initialisation and at the end (or at the last checkpoint), by `state_dict` name.
    public enum WeightGroup: String, CaseIterable, Sendable {
        case initial, final

        public var path: String { "/weights/" + rawValue }
        public func path(_ name: String) -> String { path + "/" + name }
    }
    /// The trainer's checkpoint as JSON, while the run is not finished.
    public static let checkpointTrainer = "/checkpoint/trainer"
    /// The optimizer's state tensors, by `NAME.STATE`.
    public static let checkpointOptimizer = "/checkpoint/optimizer"

    public static func optimizerState(_ name: String) -> String { checkpointOptimizer + "/" + name }
}
