import RNNLabLayers
import RNNLabNumerics
import XCTest

/// Finite-difference checks in Double of the non-recurrent models: every parameter (and the dense input) of a
/// `FeedForwardSequenceModel` around a TCN or a Transformer body, with per-step and per-sequence heads, both
/// readouts and padded rows.
final class BaselineGradientTests: XCTestCase {
    func model(_ body: any SequenceBody<Double>, input: SequenceInput, head: SequenceHead, readout: SequenceReadout,
               seed: UInt64) -> FeedForwardSequenceModel<Double> {
        let model = FeedForwardSequenceModel<Double>(input: input, body: body, head: head, readout: readout)
        var random = RandomStream(seed: seed, stream: "gradient-check")
        FiniteDifference.randomize(model.parameters, &random, scale: 0.6)
        return model
    }

    func check(_ model: FeedForwardSequenceModel<Double>, _ batch: SequenceBatch<Double>, _ what: String) {
        var differentiables = model.parameters.map { (name: $0.name, value: $0.value, gradient: $0.gradient) }
        let inputGradient = Tensor<Double>(shape: [0])
        if let features = batch.features {
            differentiables.append((name: "input", value: features, gradient: inputGradient))
        }
        let (error, worst) = FiniteDifference.maxRelativeError(differentiables, loss: {
            model.forward(batch)
        }, backward: {
            model.forward(batch)
            model.zeroGradients()
            model.backward()
            if let dx = model.inputGradient, batch.features != nil {
                inputGradient.reshape(dx.shape)
                inputGradient.copy(from: dx)
            }
        })
        XCTAssertLessThan(error, 1e-6, "\(what): worst \(worst)")
    }

    func denseBatch(steps: Int, rows: Int, features: Int, lengths: [Int]? = nil, seed: UInt64) -> Tensor<Double> {
        var random = RandomStream(seed: seed, stream: "inputs")
        return FiniteDifference.randomTensor([steps * rows, features], &random)
    }

    func testTCNGradients() {
        // Per sequence, last real step of padded rows (regression), downsampling first level.
        let tcn = TemporalConvNet<Double>(inputSize: 2, levels: 2, channels: 3, kernelSize: 3, dropout: 0)
        let regression = model(tcn, input: .dense(features: 2), head: .regressionPerSequence(outputs: 1), readout: .finalState, seed: 1)
        var random = RandomStream(seed: 2, stream: "targets")
        let batch = SequenceBatch(steps: 7, batch: 3, features: denseBatch(steps: 7, rows: 3, features: 2, seed: 3),
                                  lengths: [7, 4, 6], valueTargets: FiniteDifference.randomTensor([3, 1], &random))
        check(regression, batch, "TCN, regression from the last real step")
        // Per step, one-hot tokens into classes; same-width levels (no downsample).
        let perStep = model(TemporalConvNet<Double>(inputSize: 5, levels: 2, channels: 5, kernelSize: 2, dropout: 0),
                            input: .oneHot(vocabulary: 5), head: .classPerStep(classes: 5), readout: .finalState, seed: 4)
        let tokens: [Int32] = [0, 1, 4, 2, 3, 3, 1, 0, 2, 4, 4, 1]
        check(perStep, SequenceBatch(steps: 6, batch: 2, tokens: tokens, classTargets: tokens.map { ($0 + 1) % 5 }),
              "TCN, class per step")
    }

    func testTransformerGradients() {
        // Per sequence, mean over the real steps of padded rows, learned positions, embedding input.
        let body = TransformerBody<Double>(inputSize: 4, width: 6, layers: 2, heads: 2, mlpRatio: 2, context: 6, positions: true, dropout: 0)
        let classifier = model(body, input: .embedding(vocabulary: 7, dimension: 4), head: .classPerSequence(classes: 3),
                               readout: .meanPool, seed: 5)
        let tokens: [Int32] = [1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1]
        check(classifier, SequenceBatch(steps: 5, batch: 3, tokens: tokens, lengths: [5, 3, 4], classTargets: [0, 2, 1]),
              "Transformer, mean-pooled classes")
        // Per step, dense inputs, sinusoidal positions, regression.
        let perStep = model(TransformerBody<Double>(inputSize: 2, width: 4, layers: 1, heads: 2, mlpRatio: 3, context: 8,
                                                    positions: false, dropout: 0),
                            input: .dense(features: 2), head: .regressionPerStep(outputs: 2), readout: .finalState, seed: 6)
        var random = RandomStream(seed: 7, stream: "targets")
        check(perStep, SequenceBatch(steps: 4, batch: 2, features: denseBatch(steps: 4, rows: 2, features: 2, seed: 8),
                                     valueTargets: FiniteDifference.randomTensor([8, 2], &random)),
              "Transformer, regression per step")
    }

    func testCausalityAndPaddingLeaveRealStepsAlone() {
        // A causal body: changing step 3 leaves steps 0…2 unchanged, and a row padded after its length gives the
        // outputs it gives alone.
        let body = TransformerBody<Double>(inputSize: 2, width: 4, layers: 1, heads: 1, mlpRatio: 2, context: 5, positions: true, dropout: 0)
        var random = RandomStream(seed: 9, stream: "weights")
        FiniteDifference.randomize(body.parameters, &random)
        let x = FiniteDifference.randomTensor([5, 1, 2], &random)
        var unused = RandomStream(seed: 0, stream: "unused")
        let before = body.forward(x, lengths: nil, training: false, random: &unused).array
        x[3 * 2] += 1
        let after = body.forward(x, lengths: nil, training: false, random: &unused).array
        XCTAssertEqual(Array(before[..<(3 * 4)]), Array(after[..<(3 * 4)]))
        XCTAssertNotEqual(Array(before[(3 * 4)...]), Array(after[(3 * 4)...]))
    }
}
