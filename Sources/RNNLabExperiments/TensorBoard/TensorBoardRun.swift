import Foundation
import RNNLabTraining

/// An observer of a training that also hears, before training starts, what a resumed run already holds.
public protocol RunObserver: TrainingObserver {
    /// Called once before training with the steps and epochs the run file holds up to its checkpoint (empty for
    /// a fresh run); the steps after the checkpoint are computed again and reported as they finish.
    func begin(resumingWith steps: [StepRecord], epochs: [EpochRecord]) throws
}

/// TensorBoard logs of one run, in `DIR/ARM_seedN/`: per step `train/loss`, `train/grad_norm` (before clipping),
/// `train/grad_norm_clipped` and `train/learning_rate` (at the update's number); per epoch `epoch/train_loss`,
/// `epoch/learning_rate` and every `valid/METRIC` and `test/METRIC` (at the epoch's number).
///
/// Resuming: when training begins, the run's folder is emptied of event files and a new file is written with
/// every step and epoch the run file holds up to its checkpoint; then each step and epoch is appended as it
/// finishes. The steps an interrupted process computed after its last checkpoint are in its old file only, which
/// is removed, and they are computed again; so the folder always holds each step and epoch once.
public final class TensorBoardRun: RunObserver {
    /// The run's folder.
    public let directory: URL
    private var writer: EventFileWriter?
    /// The first error writing an event; training goes on (the logs are a view, the run file is the record).
    public private(set) var failure: Error?

    public init(directory: URL, arm: String, seed: UInt64) {
        self.directory = directory.appendingPathComponent(Self.folderName(arm: arm, seed: seed))
    }

    /// The folder of a run: its arm's settings and its seed, with characters other than letters, digits and
    /// `. = , + -` replaced by `_`, e.g. `model.cell=lstm_seed1`.
    public static func folderName(arm: String, seed: UInt64) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.=,+-")
        let compact = arm.replacingOccurrences(of: ", ", with: ",")
        let name = String(compact.map { allowed.contains($0) ? $0 : "_" })
        return (name.isEmpty ? "run" : name) + "_seed\(seed)"
    }

    public func begin(resumingWith steps: [StepRecord], epochs: [EpochRecord]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for old in try FileManager.default.contentsOfDirectory(atPath: directory.path) where old.hasPrefix("events.out.tfevents.") {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(old))
        }
        let writer = try EventFileWriter(directory: directory)
        self.writer = writer
        for step in steps { try writer.write(step: step.step, scalars: Self.scalars(of: step)) }
        for epoch in epochs { try writer.write(step: epoch.epoch, scalars: Self.scalars(of: epoch)) }
    }

    public func trainerDidFinishStep(_ record: StepRecord) { write(record.step, Self.scalars(of: record)) }
    public func trainerDidFinishEpoch(_ record: EpochRecord) { write(record.epoch, Self.scalars(of: record)) }

    private func write(_ step: Int, _ scalars: [TensorBoardScalar]) {
        guard failure == nil, let writer else { return }
        do { try writer.write(step: step, scalars: scalars) } catch { failure = error }
    }

    /// The scalars of one update.
    public static func scalars(of step: StepRecord) -> [TensorBoardScalar] {
        [TensorBoardScalar("train/loss", step.loss), TensorBoardScalar("train/grad_norm", step.gradientNormBefore),
         TensorBoardScalar("train/grad_norm_clipped", step.gradientNormAfter), TensorBoardScalar("train/learning_rate", step.learningRate)]
    }

    /// The scalars of one epoch.
    public static func scalars(of epoch: EpochRecord) -> [TensorBoardScalar] {
        scalars(trainingLoss: epoch.trainingLoss, learningRate: epoch.learningRate,
                validation: epoch.validationMetrics, test: epoch.testMetrics)
    }

    static func scalars(trainingLoss: Double, learningRate: Double, validation: [String: Double], test: [String: Double]) -> [TensorBoardScalar] {
        [TensorBoardScalar("epoch/train_loss", trainingLoss), TensorBoardScalar("epoch/learning_rate", learningRate)]
            + validation.sorted { $0.key < $1.key }.map { TensorBoardScalar("valid/\($0.key)", $0.value) }
            + test.sorted { $0.key < $1.key }.map { TensorBoardScalar("test/\($0.key)", $0.value) }
    }
}
