import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// What a benchmark row trains: a recurrent cell, or one of the non-recurrent baselines on the same data.
enum BenchModelKind: Equatable, Sendable {
    case recurrent(CellKind)
    /// A TCN of 4 levels of `hidden` channels, kernel size 3 (receptive field 61).
    case tcn
    /// A causal Transformer of `layers` blocks of width `hidden`, 4 heads, MLP ratio 4, learned positions.
    case transformer

    /// The `--cell` names: the cells, `tcn` and `transformer`.
    init?(name: String) {
        switch name {
        case "tcn": self = .tcn
        case "transformer": self = .transformer
        default:
            guard let cell = CellKind(rawValue: name) else { return nil }
            self = .recurrent(cell)
        }
    }

    var name: String {
        switch self {
        case .recurrent(let cell): cell.rawValue
        case .tcn: "tcn"
        case .transformer: "transformer"
        }
    }

    static let tcnLevels = 4, tcnKernelSize = 3, transformerHeads = 4, transformerMLPRatio = 4
}

/// One benchmark model with a synthetic batch generated once from a fixed seed.
final class BenchModel {
    let configuration: BenchConfiguration
    private let recurrent: SequenceModel<Float>?
    private let feedForward: FeedForwardSequenceModel<Float>?
    private let parameters: [Parameter<Float>]
    private let optimizer: Optimizer<Float>
    private let batch: SequenceBatch<Float>

    init(_ configuration: BenchConfiguration, kind: BenchModelKind) {
        self.configuration = configuration
        var random = RandomStream(seed: 1, stream: "bench")
        let (T, B) = (configuration.steps, configuration.batch)
        let input: SequenceInput
        switch configuration.input {
        case .oneHot(let n): input = .oneHot(vocabulary: n)
        case .dense(let n): input = .dense(features: n)
        case .embedding(let vocabulary, let dimension): input = .embedding(vocabulary: vocabulary, dimension: dimension)
        }
        let head: SequenceHead
        switch configuration.head {
        case .softmaxPerStep(let v): head = .classPerStep(classes: v)
        case .sigmoidPerStep(let v): head = .binaryPerStep(units: v)
        case .softmaxOnFinalState(let c): head = .classPerSequence(classes: c)
        }
        switch kind {
        case .recurrent(let cell):
            recurrent = SequenceModel(SequenceModelConfiguration(
                input: input, cell: cell, hiddenSize: configuration.hidden, layers: configuration.layers,
                bidirectional: configuration.bidirectional, head: head))
            feedForward = nil
        case .tcn, .transformer:
            let body: any SequenceBody<Float> = kind == .tcn
                ? TemporalConvNet<Float>(inputSize: input.features, levels: BenchModelKind.tcnLevels, channels: configuration.hidden,
                                         kernelSize: BenchModelKind.tcnKernelSize, dropout: 0)
                : TransformerBody<Float>(inputSize: input.features, width: configuration.hidden, layers: configuration.layers,
                                         heads: BenchModelKind.transformerHeads, mlpRatio: BenchModelKind.transformerMLPRatio,
                                         context: configuration.steps, positions: true, dropout: 0)
            feedForward = FeedForwardSequenceModel(input: input, body: body, head: head,
                                                   readout: kind == .tcn ? .finalState : .meanPool)
            recurrent = nil
        }
        parameters = recurrent?.parameters ?? feedForward?.parameters ?? []
        for parameter in parameters {
            for i in 0..<parameter.value.count { parameter.value[i] = Float(random.uniform(-0.1, 0.1)) }
        }
        var batch = SequenceBatch<Float>(steps: T, batch: B)
        switch input {
        case .oneHot(let n), .embedding(let n, _):
            batch.tokens = (0..<(T * B)).map { _ in Int32(random.index(below: n)) }
        case .dense(let n):
            let frames = Tensor<Float>(shape: [T * B, n])
            for i in 0..<frames.count where random.nextUnit() < 0.05 { frames[i] = 1 }
            batch.features = frames
        }
        switch head {
        case .classPerStep(let v):
            batch.classTargets = (0..<(T * B)).map { _ in Int32(random.index(below: v)) }
        case .classPerSequence(let c):
            batch.classTargets = (0..<B).map { _ in Int32(random.index(below: c)) }
        case .binaryPerStep(let v), .regressionPerStep(let v):
            let targets = Tensor<Float>(shape: [T * B, v])
            for i in 0..<targets.count where random.nextUnit() < 0.05 { targets[i] = 1 }
            batch.valueTargets = targets
        case .regressionPerSequence(let v):
            batch.valueTargets = Tensor<Float>(shape: [B, v])
        }
        self.batch = batch
        optimizer = Optimizer(.adam(learningRate: 1e-3), parameters: parameters)
    }

    /// One forward pass and loss; with `train`, also full back-propagation
    /// through time, global-norm clipping at 5 and an Adam update.
    @discardableResult
    func step(train: Bool) -> Double {
        let loss: Double
        if let recurrent {
            loss = recurrent.forward(batch)
            if train { recurrent.zeroGradients(); recurrent.backward() }
        } else if let feedForward {
            loss = feedForward.forward(batch)
            if train { feedForward.zeroGradients(); feedForward.backward() }
        } else {
            loss = .nan
        }
        if train {
            GradientClipping.globalNorm(5).apply(to: parameters)
            optimizer.step(learningRate: 1e-3)
        }
        return loss
    }
}
