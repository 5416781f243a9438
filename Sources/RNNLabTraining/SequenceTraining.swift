import Foundation
import RNNLabLayers
import RNNLabNumerics

/// Trains a `SequenceModel` on a `BatchSource`'s batches with the options of a `TrainingConfiguration`.
public typealias Trainer<T: Scalar> = ModelTrainer<SequenceTraining<T>>

extension ModelTrainer {
    /// Creates a trainer of a sequence model and initialises the model's parameters from the run's
    /// initialisation stream.
    public convenience init<S: Scalar>(model: SequenceModel<S>, configuration: TrainingConfiguration,
                                       source: any BatchSource<S>) throws where Procedure == SequenceTraining<S> {
        try self.init(try SequenceTraining(model: model, configuration: configuration, source: source), configuration: configuration)
    }
}

/// The sequence family's part of training: a `SequenceModel` over a `BatchSource`'s batches.
///
/// One epoch: for each training batch, its truncation segments in order; for
/// each segment, a forward pass from the carried state, back-propagation (which
/// stops at the segment's start), clipping, and one optimizer update. The state
/// carries across segments, and across batches that continue the previous one;
/// it is detached (copied) at every boundary.
public final class SequenceTraining<T: Scalar>: TrainingProcedure {
    public let model: SequenceModel<T>
    private let configuration: TrainingConfiguration
    private let source: any BatchSource<T>
    private let carriedHidden = Tensor<T>(shape: [0])
    private let carriedCell = Tensor<T>(shape: [0])
    private var hasCarriedState = false

    /// Checks that the configuration suits the model (truncation, loss reduction).
    public init(model: SequenceModel<T>, configuration: TrainingConfiguration, source: any BatchSource<T>) throws {
        if model.configuration.recurrent.bidirectional, configuration.truncation != .full {
            throw TrainingError.invalidConfiguration(
                "truncation \(configuration.truncation) needs a unidirectional network: a reverse sweep cannot be truncated")
        }
        if case .fixed(let k) = configuration.truncation, k < 1 {
            throw TrainingError.invalidConfiguration("truncation length must be at least 1, got \(k)")
        }
        if case .randomized(let k, _) = configuration.truncation, k < 1 {
            throw TrainingError.invalidConfiguration("mean truncation length must be at least 1, got \(k)")
        }
        if configuration.lossReduction == .sumOverSteps, !model.configuration.head.isPerStep {
            throw TrainingError.invalidConfiguration("loss reduction sum_over_steps needs a per-step head")
        }
        self.model = model
        self.configuration = configuration
        self.source = source
    }

    public var parameters: [Parameter<T>] { model.parameters }

    public func initializeParameters(random: inout RandomStream) {
        configuration.initialization.apply(to: model, random: &random)
    }

    public func trainEpoch(_ epoch: Int, in session: TrainingSession<T>) {
        hasCarriedState = false
        for batch in source.trainingBatches(epoch: epoch, random: &session.streams.dataOrder) {
            if !batch.continuesPrevious || carriedHidden.count != stateCount(batch) { hasCarriedState = false }
            let perStep = model.configuration.head.isPerStep
            let segments = configuration.truncation.segments(steps: batch.steps, random: &session.streams.truncation)
            for (index, range) in segments.enumerated() {
                let segment = batch.slice(steps: range, perStepTargets: perStep)
                let isLast = index == segments.count - 1
                let loss = model.forward(segment, initialHidden: hasCarriedState ? carriedHidden : nil,
                                         initialCell: hasCarriedState && model.configuration.recurrent.cell.hasCellState ? carriedCell : nil,
                                         training: true, random: &session.streams.dropout)
                var proceeds = true
                if perStep || isLast {
                    let lossSum = model.lastLossSum
                    model.zeroGradients()
                    model.backward(stateGradientScale: configuration.truncation.stateGradientScale)
                    if configuration.lossReduction == .sumOverSteps {
                        // Zaremba et al.'s sum over the segment's steps: the mean's gradient times their number.
                        for parameter in model.parameters { parameter.scaleGradient(by: T(segment.steps)) }
                    }
                    proceeds = session.update(loss: loss, lossSum: lossSum, tokens: segment.steps * segment.batch)
                    if session.isDiverged { return }
                    model.network.constrainWeights()   // IndRNN's recurrent_max, after every update
                }
                carryState()
                if !proceeds { return }
            }
        }
    }

    /// The task's metrics over a split (the mean loss over every counted target
    /// under `loss`), carrying state across batches that continue each other;
    /// empty when the split has no batches.
    public func evaluate(_ split: EvaluationSplit) -> [String: Double] {
        let batches = source.evaluationBatches(split)
        guard !batches.isEmpty else { return [:] }
        let metrics = source.makeMetrics()
        hasCarriedState = false
        for batch in batches {
            if !batch.continuesPrevious || carriedHidden.count != stateCount(batch) { hasCarriedState = false }
            model.forward(batch, initialHidden: hasCarriedState ? carriedHidden : nil,
                          initialCell: hasCarriedState && model.configuration.recurrent.cell.hasCellState ? carriedCell : nil)
            metrics.add(batch, model: model)
            carryState()
        }
        hasCarriedState = false
        return metrics.values
    }

    private func stateCount(_ batch: SequenceBatch<T>) -> Int {
        let r = model.configuration.recurrent
        return r.layers * r.directions * batch.batch * r.hiddenSize
    }

    /// Detaches the final state into the carried state for the next segment.
    private func carryState() {
        carriedHidden.copy(from: model.network.finalHidden)
        if model.configuration.recurrent.cell.hasCellState { carriedCell.copy(from: model.network.finalCell) }
        hasCarriedState = true
    }
}
