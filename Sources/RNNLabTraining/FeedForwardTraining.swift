import RNNLabLayers
import RNNLabNumerics

extension ModelTrainer {
    /// Creates a trainer of a non-recurrent sequence model (TCN, Transformer) and initialises its parameters
    /// from the run's initialisation stream.
    public convenience init<S: Scalar>(model: FeedForwardSequenceModel<S>, configuration: TrainingConfiguration,
                                       source: any BatchSource<S>) throws where Procedure == FeedForwardTraining<S> {
        try self.init(try FeedForwardTraining(model: model, configuration: configuration, source: source),
                      configuration: configuration)
    }
}

/// The non-recurrent families' part of training: a `FeedForwardSequenceModel` over a `BatchSource`'s batches.
///
/// One epoch: for each training batch, one forward and backward pass over the whole batch and one update
/// (no state, so no truncation). Evaluation scores batches that continue a stream (language models) in the
/// body's `EvaluationWindow`: each chunk of new steps is run behind up to `history` earlier steps of the
/// stream, whose predictions are not scored.
public final class FeedForwardTraining<T: Scalar>: TrainingProcedure {
    public let model: FeedForwardSequenceModel<T>
    private let configuration: TrainingConfiguration
    private let source: any BatchSource<T>

    /// Checks that the configuration suits the model: full back-propagation only, loss reduction per head.
    public init(model: FeedForwardSequenceModel<T>, configuration: TrainingConfiguration, source: any BatchSource<T>) throws {
        guard configuration.truncation == .full else {
            throw TrainingError.invalidConfiguration("non-recurrent models have no state to truncate: use truncation full")
        }
        if configuration.lossReduction == .sumOverSteps, !model.head.isPerStep {
            throw TrainingError.invalidConfiguration("loss reduction sum_over_steps needs a per-step head")
        }
        self.model = model
        self.configuration = configuration
        self.source = source
    }

    public var parameters: [Parameter<T>] { model.parameters }

    /// The body's own scheme (`SequenceBody.initialize`), then PyTorch's defaults for the embedding
    /// (N(0, 1)) and the output layer (U(±1/√fan_in)).
    public func initializeParameters(random: inout RandomStream) {
        if let embedding = model.embedding {
            let w = embedding.weight.value
            for i in 0..<w.count { w[i] = T(random.normal()) }
        }
        model.body.initialize(random: &random)
        let bound = 1 / Double(model.decoder.inputSize).squareRoot()
        for parameter in model.decoder.parameters {
            for i in 0..<parameter.value.count { parameter.value[i] = T(random.uniform(-bound, bound)) }
        }
    }

    public func trainEpoch(_ epoch: Int, in session: TrainingSession<T>) {
        for batch in source.trainingBatches(epoch: epoch, random: &session.streams.dataOrder) {
            let loss = model.forward(batch, training: true, random: &session.streams.dropout)
            let lossSum = model.lastLossSum
            model.zeroGradients()
            model.backward()
            if configuration.lossReduction == .sumOverSteps {
                for parameter in model.parameters { parameter.scaleGradient(by: T(batch.steps)) }
            }
            let proceeds = session.update(loss: loss, lossSum: lossSum, tokens: batch.steps * batch.batch)
            if session.isDiverged || !proceeds { return }
        }
    }

    public func evaluate(_ split: EvaluationSplit) -> [String: Double] {
        let batches = source.evaluationBatches(split)
        guard !batches.isEmpty else { return [:] }
        let metrics = source.makeMetrics()
        var history: [[Int32]] = []
        for batch in batches {
            guard let tokens = batch.tokens, let targets = batch.classTargets, model.head.isPerStep, batch.lengths == nil else {
                model.forward(batch)
                metrics.add(batch, model: model)
                continue
            }
            if !batch.continuesPrevious || history.count != batch.batch { history = Array(repeating: [], count: batch.batch) }
            for window in Self.windows(of: batch, tokens: tokens, targets: targets, history: &history, model.body.evaluationWindow) {
                model.forward(window)
                metrics.add(window, model: model)
            }
        }
        return metrics.values
    }

    /// The stream batch cut into chunks of at most `stride` steps, each behind up to `history` earlier steps
    /// of its rows (targets of those ignored); `rowHistory` holds each row's earlier tokens and is advanced.
    public static func windows(of batch: SequenceBatch<T>, tokens: [Int32], targets: [Int32], history rowHistory: inout [[Int32]],
                        _ window: EvaluationWindow) -> [SequenceBatch<T>] {
        let B = batch.batch, stride = max(1, min(window.stride ?? batch.steps, batch.steps))
        var result: [SequenceBatch<T>] = []
        for start in Swift.stride(from: 0, to: batch.steps, by: stride) {
            let count = min(stride, batch.steps - start)
            let prefix = min(window.history, rowHistory.map(\.count).min() ?? 0)
            let steps = prefix + count
            var windowTokens = [Int32](repeating: 0, count: steps * B)
            var windowTargets = [Int32](repeating: SequenceModel<T>.ignoreIndex, count: steps * B)
            for b in 0..<B {
                let earlier = rowHistory[b].suffix(prefix)
                for (t, id) in earlier.enumerated() { windowTokens[t * B + b] = id }
                for t in 0..<count {
                    windowTokens[(prefix + t) * B + b] = tokens[(start + t) * B + b]
                    windowTargets[(prefix + t) * B + b] = targets[(start + t) * B + b]
                }
                rowHistory[b].append(contentsOf: (0..<count).map { tokens[(start + $0) * B + b] })
                if rowHistory[b].count > window.history { rowHistory[b].removeFirst(rowHistory[b].count - window.history) }
            }
            result.append(SequenceBatch(steps: steps, batch: B, tokens: windowTokens, classTargets: windowTargets))
        }
        return result
    }
}
