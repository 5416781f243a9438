import Foundation
import RNNLabLayers
import RNNLabNumerics

/// Trains an `EncoderDecoder` on teacher-forced batches with the options of a `TrainingConfiguration`.
public typealias Seq2SeqTrainer<T: Scalar> = ModelTrainer<EncoderDecoderTraining<T>>

extension ModelTrainer {
    /// Creates a trainer of an encoder–decoder and initialises the model's parameters (PyTorch's
    /// defaults, `EncoderDecoder.resetParameters`) from the run's initialisation stream.
    public convenience init<S: Scalar>(model: EncoderDecoder<S>, configuration: TrainingConfiguration,
                                       trainingBatches: @escaping (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch],
                                       evaluate: @escaping (EncoderDecoder<S>, EvaluationSplit) -> [String: Double]) throws
        where Procedure == EncoderDecoderTraining<S> {
        try self.init(try EncoderDecoderTraining(model: model, configuration: configuration,
                                                 trainingBatches: trainingBatches, evaluate: evaluate),
                      configuration: configuration)
    }
}

/// The encoder–decoder family's part of training.
///
/// One epoch: for each training batch, a teacher-forced forward pass, back-
/// propagation through decoder, attention, bridge and encoder, clipping over the
/// model's one parameter list, and one optimizer update. After the epoch, the
/// task's `evaluate` closure gives each split's metrics (it must include `loss`,
/// which drives early stopping and the schedule, as for sequence models).
public final class EncoderDecoderTraining<T: Scalar>: TrainingProcedure {
    public let model: EncoderDecoder<T>
    private let trainingBatches: (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch]
    private let evaluation: (EncoderDecoder<T>, EvaluationSplit) -> [String: Double]

    /// Checks that the configuration suits an encoder–decoder (full back-propagation, mean loss,
    /// PyTorch's initialisation).
    public init(model: EncoderDecoder<T>, configuration: TrainingConfiguration,
                trainingBatches: @escaping (_ epoch: Int, _ random: inout RandomStream) -> [Seq2SeqBatch],
                evaluate: @escaping (EncoderDecoder<T>, EvaluationSplit) -> [String: Double]) throws {
        guard configuration.truncation == .full else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models train with full back-propagation (truncation: full)")
        }
        guard configuration.lossReduction == nil else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models train on the mean loss (no training.loss_reduction)")
        }
        guard configuration.initialization == .pytorch else {
            throw TrainingError.invalidConfiguration("sequence-to-sequence models use PyTorch's default initialisation (no training.init)")
        }
        self.model = model
        self.trainingBatches = trainingBatches
        self.evaluation = evaluate
    }

    public var parameters: [Parameter<T>] { model.parameters }

    public func initializeParameters(random: inout RandomStream) {
        model.resetParameters(random: &random)
    }

    public func trainEpoch(_ epoch: Int, in session: TrainingSession<T>) {
        for batch in trainingBatches(epoch, &session.streams.dataOrder) {
            let loss = model.forward(batch, training: true, random: &session.streams.dropout)
            let lossSum = model.lastLossSum
            model.zeroGradients()
            model.backward()
            guard session.update(loss: loss, lossSum: lossSum, tokens: (batch.sourceSteps + batch.targetSteps) * batch.batch) else { return }
        }
    }

    public func evaluate(_ split: EvaluationSplit) -> [String: Double] {
        evaluation(model, split)
    }
}
