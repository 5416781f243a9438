import RNNLabLayers
import RNNLabNumerics
import XCTest

/// Finite-difference gradient checks (Double) of the encoder–decoder's
/// teacher-forced cross-entropy, with and without attention, over every
/// parameter (embeddings included), with padded sources and targets.
final class EncoderDecoderGradientTests: XCTestCase {
    let tolerance = 1e-6

    /// Two rows: source lengths 4 and 2, target lengths 3 and 1 (+ ⟨eos⟩).
    func batch() -> Seq2SeqBatch {
        Seq2SeqBatch(sources: [[2, 3, 4, 2], [4, 3]], targets: [[3, 2, 4], [2]], beginToken: 1, endToken: 0, padToken: 0)
    }

    func check(_ configuration: EncoderDecoderConfiguration, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try EncoderDecoder<Double>(configuration)
        var random = RandomStream(seed: 9, stream: "seq2seq-test")
        FiniteDifference.randomize(model.parameters, &random)
        let b = batch()
        func loss() -> Double { model.forward(b) }
        func backward() {
            model.zeroGradients()
            model.forward(b)
            model.backward()
        }
        let list = model.parameters.map { ($0.name, $0.value, $0.gradient) }
        let result = FiniteDifference.maxRelativeError(list, loss: loss, backward: backward)
        XCTAssertLessThan(result.error, tolerance, "\(label): \(result.worst)", file: file, line: line)
    }

    func config(_ encoder: CellKind, _ decoder: CellKind, layers: (Int, Int) = (1, 1), hidden: (Int, Int) = (3, 3),
                bidirectional: Bool = false, attention: AttentionKind? = nil) -> EncoderDecoderConfiguration {
        EncoderDecoderConfiguration(sourceVocabulary: 5, targetVocabulary: 5, embeddingSize: 2,
                                    encoderCell: encoder, encoderHiddenSize: hidden.0, encoderLayers: layers.0,
                                    bidirectionalEncoder: bidirectional,
                                    decoderCell: decoder, decoderHiddenSize: hidden.1, decoderLayers: layers.1,
                                    attention: attention, attentionSize: 2)
    }

    func testFixedContextCopyBridge() throws {
        let c = config(.lstm, .lstm)
        XCTAssertEqual(c.bridge, .copy)
        try check(c, "lstm→lstm copy")
        try check(config(.gru, .lstm, layers: (2, 2)), "gru→lstm 2 layers copy")
    }

    func testFixedContextLinearBridge() throws {
        let c = config(.lstm, .gru, layers: (2, 1), hidden: (2, 3), bidirectional: true)
        XCTAssertEqual(c.bridge, .linear)
        try check(c, "bi-lstm 2 layers → gru, linear bridge")
    }

    func testAdditiveAttention() throws {
        try check(config(.gru, .gru, bidirectional: true, attention: .additive), "bi-gru → gru, additive")
    }

    func testDotAttention() throws {
        try check(config(.rnnTanh, .lstm, layers: (1, 2), hidden: (2, 4), bidirectional: true, attention: .dot),
                  "bi-rnn → 2-layer lstm, dot")
    }

    func testGeneralAttention() throws {
        try check(config(.lstm, .rnnTanh, hidden: (3, 2), attention: .general), "lstm → rnn, general")
    }

    func testParameterNamesAndValidation() throws {
        let model = try EncoderDecoder<Double>(config(.lstm, .gru, layers: (1, 1), hidden: (2, 3), bidirectional: true, attention: .additive))
        XCTAssertEqual(model.parameters.map(\.name), [
            "source_embedding.weight",
            "encoder.weight_ih_l0", "encoder.weight_hh_l0", "encoder.bias_ih_l0", "encoder.bias_hh_l0",
            "encoder.weight_ih_l0_reverse", "encoder.weight_hh_l0_reverse", "encoder.bias_ih_l0_reverse", "encoder.bias_hh_l0_reverse",
            "target_embedding.weight",
            "decoder.weight_ih_l0", "decoder.weight_hh_l0", "decoder.bias_ih_l0", "decoder.bias_hh_l0",
            "bridge.weight", "bridge.bias",
            "attention.W_q.weight", "attention.W_k.weight", "attention.W_k.bias", "attention.v.weight",
            "attention.W_c.weight", "output.weight", "output.bias",
        ])
        XCTAssertEqual(model.parameter(named: "bridge.weight")?.shape, [3, 4])
        XCTAssertEqual(model.parameter(named: "attention.W_c.weight")?.shape, [3, 7])
        XCTAssertThrowsError(try EncoderDecoder<Double>(config(.gru, .gru, hidden: (2, 3), attention: .dot)))
    }

    /// Teacher forcing: a padded batch gives each row the loss sum it gives alone.
    func testPaddedBatchMatchesRowsAlone() throws {
        let model = try EncoderDecoder<Double>(config(.gru, .lstm, bidirectional: true, attention: .general))
        var random = RandomStream(seed: 2, stream: "init")
        model.resetParameters(random: &random)
        let b = batch()
        model.forward(b)
        let together = model.lastLossSum.total
        var alone = 0.0
        for (source, target) in [([Int32(2), 3, 4, 2], [Int32(3), 2, 4]), ([4, 3], [2])] {
            model.forward(Seq2SeqBatch(sources: [source], targets: [target], beginToken: 1, endToken: 0, padToken: 0))
            alone += model.lastLossSum.total
        }
        XCTAssertEqual(together, alone, accuracy: 1e-12)
        XCTAssertEqual(model.lastLossSum.count, 2)
    }
}
