import Foundation
import RNNLabRunStore
import RNNLabTraining

/// `rnnlab export tensorboard NAME DIR`: the TensorBoard logs of an experiment's finished runs, written from what
/// the store holds, in the folders `rnnlab run --tensorboard` uses. Epoch scalars come from the run records (exact);
/// step scalars from the finished run file where it is there (every update, full precision), else from the
/// record's step series (each bucket's mean at the bucket's first step, 4 significant digits).
public enum TensorBoardExport {
    /// Writes the logs of every planned run with a record; returns the folders written.
    @discardableResult
    public static func write(_ experiment: Experiment, profile: String?, store: RunStore, to directory: URL) throws -> [URL] {
        var written: [URL] = []
        for run in try experiment.plan(profile: profile) {
            guard let record = store.record(experiment.name, runID: run.runID, configuration: run.configuration).record else { continue }
            let board = TensorBoardRun(directory: directory, arm: run.arm, seed: run.seed)
            let file = store.fileState(experiment.name, runID: run.runID, configuration: run.configuration).isFinished
                ? try? store.read(experiment.name, runID: run.runID) : nil
            let epochs = record.epochs.map { epoch in
                EpochRecord(epoch: epoch.epoch, trainingLoss: epoch.trainingLoss, validationLoss: epoch.validationMetrics["loss"],
                            testLoss: epoch.testMetrics["loss"], validationMetrics: epoch.validationMetrics, testMetrics: epoch.testMetrics,
                            learningRate: epoch.learningRate, wallSeconds: epoch.wallSeconds, isBest: epoch.epoch == record.bestEpoch)
            }
            try board.begin(resumingWith: file?.steps ?? steps(of: record.steps), epochs: epochs)
            written.append(board.directory)
        }
        return written
    }

    /// A record's step series as one step per bucket: the bucket's means at its first step.
    static func steps(of series: StepSeries) -> [StepRecord] {
        (0..<series.bucketCount).map { bucket in
            StepRecord(step: series.firstStep + bucket * series.bucketSize, epoch: 0, loss: Double(series.loss.mean[bucket]),
                       gradientNormBefore: Double(series.gradientNormBefore.mean[bucket]),
                       gradientNormAfter: Double((series.gradientNormAfter ?? series.gradientNormBefore).mean[bucket]),
                       learningRate: Double(series.learningRate.mean[bucket]), wallSeconds: 0)
        }
    }
}
