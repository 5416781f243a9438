import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// One benchmark model with a synthetic batch generated once from a fixed seed.
final class BenchModel {
    let configuration: BenchConfiguration
    let model: SequenceModel<Float>
    private let optimizer: Optimizer<Float>
    private let batch: SequenceBatch<Float>

    init(_ configuration: BenchConfiguration, cell: CellKind) {
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
        model = SequenceModel(SequenceModelConfiguration(
            input: input, cell: cell, hiddenSize: configuration.hidden, layers: configuration.layers,
            bidirectional: configuration.bidirectional, head: head))
        for parameter in model.parameters {
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
        optimizer = Optimizer(.adam(learningRate: 1e-3), parameters: model.parameters)
    }

    /// One forward pass and loss; with `train`, also full back-propagation
    /// through time, global-norm clipping at 5 and an Adam update.
    @discardableResult
    func step(train: Bool) -> Double {
        let loss = model.forward(batch)
        if train {
            model.zeroGradients()
            model.backward()
            GradientClipping.globalNorm(5).apply(to: model.parameters)
            optimizer.step(learningRate: 1e-3)
        }
        return loss
    }
}
