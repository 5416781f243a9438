import RNNLabLayers
import RNNLabNumerics
import RealModule
import XCTest

/// Finite-difference gradient checks (Double) for the attention scores and the
/// attention-pooling readout, with masked source positions; masking and names.
final class AttentionGradientTests: XCTestCase {
    let tolerance = 1e-6

    /// L = Σ context ⊙ w for a random w, differentiated with respect to every
    /// parameter, the queries and the keys; rows 1 and 2 have masked positions.
    func check(_ kind: AttentionKind, querySize: Int, keySize: Int) {
        var random = RandomStream(seed: 3, stream: "attention-test")
        let (steps, batch, sourceSteps) = (3, 3, 4)
        let lengths = [4, 2, 1]
        let attention = Attention<Double>(kind: kind, querySize: querySize, keySize: keySize, attentionSize: 3)
        FiniteDifference.randomize(attention.parameters, &random)
        let queries = FiniteDifference.randomTensor([steps, batch, querySize], &random)
        let keys = FiniteDifference.randomTensor([sourceSteps, batch, keySize], &random)
        let w = FiniteDifference.randomTensor([steps, batch, keySize], &random)
        func loss() -> Double {
            let c = attention.forward(queries: queries, keys: keys, lengths: lengths)
            return (0..<c.count).reduce(0) { $0 + c[$1] * w[$1] }
        }
        func backward() {
            attention.zeroGradients()
            _ = loss()
            attention.backward(contextGradient: w)
        }
        var list = attention.parameters.map { ($0.name, $0.value, $0.gradient) }
        list += [("queries", queries, attention.queryGradient), ("keys", keys, attention.keyGradient)]
        let result = FiniteDifference.maxRelativeError(list, loss: loss, backward: backward)
        XCTAssertLessThan(result.error, tolerance, "\(kind): \(result.worst)")

        // Masked positions: zero weight, zero key gradient; every query's weights sum to 1.
        backward()
        for t in 0..<steps {
            for b in 0..<batch {
                let row = (t * batch + b) * sourceSteps
                let sum = (0..<sourceSteps).reduce(0.0) { $0 + attention.weights[row + $1] }
                XCTAssertEqual(sum, 1, accuracy: 1e-12)
                for s in lengths[b]..<sourceSteps {
                    XCTAssertEqual(attention.weights[row + s], 0, "\(kind) weight at masked (t \(t), b \(b), s \(s))")
                }
            }
        }
        for b in 0..<batch {
            for s in lengths[b]..<sourceSteps {
                for j in 0..<keySize {
                    XCTAssertEqual(attention.keyGradient[(s * batch + b) * keySize + j], 0, "\(kind) key gradient at masked s \(s)")
                }
            }
        }
        // A single real position gets all the weight.
        for t in 0..<steps { XCTAssertEqual(attention.weights[(t * batch + 2) * sourceSteps], 1, accuracy: 1e-15) }
    }

    func testAdditiveAttentionGradients() { check(.additive, querySize: 2, keySize: 3) }
    func testDotAttentionGradients() { check(.dot, querySize: 3, keySize: 3) }
    func testGeneralAttentionGradients() { check(.general, querySize: 2, keySize: 3) }

    func testAttentionParameterNames() {
        let additive = Attention<Double>(kind: .additive, querySize: 2, keySize: 3, attentionSize: 4)
        XCTAssertEqual(additive.parameters.map(\.name), ["attention.W_q.weight", "attention.W_k.weight", "attention.W_k.bias", "attention.v.weight"])
        XCTAssertEqual(additive.parameters.map(\.shape), [[4, 2], [4, 3], [4], [1, 4]])
        let general = Attention<Double>(kind: .general, querySize: 2, keySize: 3, attentionSize: 4)
        XCTAssertEqual(general.parameters.map(\.name), ["attention.W_a.weight"])
        XCTAssertEqual(general.parameters.map(\.shape), [[2, 3]])
        XCTAssertTrue(Attention<Double>(kind: .dot, querySize: 3, keySize: 3, attentionSize: 1).parameters.isEmpty)
    }

    /// Dot attention by hand: one query, two keys.
    func testDotAttentionKnownValues() {
        let attention = Attention<Double>(kind: .dot, querySize: 2, keySize: 2, attentionSize: 1)
        let q = Tensor<Double>(shape: [1, 1, 2], values: [1, 2])
        let k = Tensor<Double>(shape: [2, 1, 2], values: [1, 0, 0, 1])   // scores 1 and 2
        let c = attention.forward(queries: q, keys: k, lengths: nil)
        let a0 = 1 / (1 + Double.exp(1)), a1 = 1 - a0
        XCTAssertEqual(attention.weights[0], a0, accuracy: 1e-15)
        XCTAssertEqual(attention.weights[1], a1, accuracy: 1e-15)
        XCTAssertEqual(c.array[0], a0, accuracy: 1e-15)
        XCTAssertEqual(c.array[1], a1, accuracy: 1e-15)
    }

    func testAttentionPoolingGradients() {
        var random = RandomStream(seed: 4, stream: "pooling-test")
        let (steps, batch, features) = (4, 3, 3)
        let lengths = [4, 1, 3]
        let pooling = AttentionPooling<Double>(inputSize: features, attentionSize: 2)
        XCTAssertEqual(pooling.parameters.map(\.name), ["pooling.W.weight", "pooling.W.bias", "pooling.v.weight"])
        FiniteDifference.randomize(pooling.parameters, &random)
        let states = FiniteDifference.randomTensor([steps, batch, features], &random)
        let w = FiniteDifference.randomTensor([batch, features], &random)
        func loss() -> Double {
            let r = pooling.forward(states, lengths: lengths)
            return (0..<r.count).reduce(0) { $0 + r[$1] * w[$1] }
        }
        func backward() {
            pooling.zeroGradients()
            _ = loss()
            pooling.backward(w)
        }
        var list = pooling.parameters.map { ($0.name, $0.value, $0.gradient) }
        list.append(("states", states, pooling.inputGradient))
        let result = FiniteDifference.maxRelativeError(list, loss: loss, backward: backward)
        XCTAssertLessThan(result.error, tolerance, result.worst)
        backward()
        for b in 0..<batch {
            for s in lengths[b]..<steps {
                XCTAssertEqual(pooling.weights[b * steps + s], 0)
                for j in 0..<features { XCTAssertEqual(pooling.inputGradient[(s * batch + b) * features + j], 0) }
            }
        }
        // Row 1 has one real step: the readout is that state.
        for j in 0..<features { XCTAssertEqual(pooling.readout[features + j], states[(0 * batch + 1) * features + j], accuracy: 1e-15) }
    }

    /// The sentiment model with the attention-pooling readout, padded: every parameter.
    func testSequenceModelWithAttentionReadout() {
        let configuration = SequenceModelConfiguration(input: .embedding(vocabulary: 6, dimension: 2), cell: .gru, hiddenSize: 2,
                                                       bidirectional: true, head: .classPerSequence(classes: 2),
                                                       readout: .attentionPool)
        let model = SequenceModel<Double>(configuration)
        XCTAssertEqual(model.parameters.filter { $0.name.hasPrefix("pooling.") }.map(\.name),
                       ["pooling.W.weight", "pooling.W.bias", "pooling.v.weight"])
        var random = RandomStream(seed: 6, stream: "readout-test")
        FiniteDifference.randomize(model.parameters, &random)
        let batch = SequenceBatch<Double>(steps: 3, batch: 2, tokens: [1, 2, 3, 4, 5, 0], lengths: [3, 1], classTargets: [1, 0])
        func loss() -> Double { model.forward(batch) }
        func backward() {
            model.zeroGradients()
            model.forward(batch)
            model.backward()
        }
        let result = FiniteDifference.maxRelativeError(model.parameters.map { ($0.name, $0.value, $0.gradient) },
                                                       loss: loss, backward: backward)
        XCTAssertLessThan(result.error, tolerance, result.worst)
    }
}
