import RNNLabLayers
import RNNLabNumerics
import RealModule
import XCTest

/// A hand-built scorer: a fixed table of next-token probabilities per prefix.
/// Tokens: 0 ⟨eos⟩, 1 ⟨bos⟩, 2 "a", 3 "b". Prefixes not in the table use `fallback`.
final class TableScorer: TokenScorer {
    let table: [[Int32]: [Double]]
    let fallback: [Double]
    private var prefixes: [[Int32]] = []
    private var started = false
    private(set) var advances = 0

    init(_ table: [[Int32]: [Double]], fallback: [Double] = [0.9, 0, 0.05, 0.05]) {
        self.table = table
        self.fallback = fallback
    }

    var vocabularySize: Int { 4 }

    func reset(rows: Int) {
        prefixes = Array(repeating: [], count: rows)
        started = false
    }

    func advance(tokens: [Int32], logProbabilities: inout [Double]) {
        advances += 1
        for r in 0..<tokens.count {
            if started { prefixes[r].append(tokens[r]) }
            let p = table[prefixes[r]] ?? fallback
            for v in 0..<4 { logProbabilities[r * 4 + v] = Double.log(p[v]) }
        }
        started = true
    }

    func reorder(parents: [Int]) {
        prefixes = parents.map { prefixes[$0] }
    }
}

/// A random but fixed distribution for every prefix: p(· | prefix) drawn from a
/// stream seeded by the prefix, with ⟨eos⟩ growing likelier as prefixes grow.
final class HashedScorer: TokenScorer {
    let seed: UInt64
    private var prefixes: [[Int32]] = []
    private var started = false

    init(seed: UInt64) { self.seed = seed }

    var vocabularySize: Int { 5 }

    func reset(rows: Int) {
        prefixes = Array(repeating: [], count: rows)
        started = false
    }

    func advance(tokens: [Int32], logProbabilities: inout [Double]) {
        for r in 0..<tokens.count {
            if started { prefixes[r].append(tokens[r]) }
            var random = RandomStream(seed: seed, stream: prefixes[r].map(String.init).joined(separator: ","))
            var weights = (0..<5).map { _ in random.nextUnit() + 0.01 }
            weights[0] *= Double(prefixes[r].count) / 3
            weights[1] = 0
            let total = weights.reduce(0, +)
            for v in 0..<5 { logProbabilities[r * 5 + v] = Double.log(weights[v] / total) }
        }
        started = true
    }

    func reorder(parents: [Int]) { prefixes = parents.map { prefixes[$0] } }
}

final class DecodingTests: XCTestCase {
    let (eos, bos, a, b): (Int32, Int32, Int32, Int32) = (0, 1, 2, 3)

    /// p(a) = .5, p(b) = .4, p(⟨eos⟩) = .1; after a: ⟨eos⟩ .4, a .3, b .3; after b: ⟨eos⟩ .9.
    /// Greedy: a then ⟨eos⟩, p = .5 · .4 = .2. Beam 2: step 1 keeps a, b (⟨eos⟩ ranks 3rd);
    /// step 2 ranks b⟨eos⟩ .36, a⟨eos⟩ .2, aa .15, ab .15 — two finished, stop; best "b", p = .36.
    func knownAnswerTable() -> TableScorer {
        TableScorer([[]: [0.1, 0, 0.5, 0.4], [2]: [0.4, 0, 0.3, 0.3], [3]: [0.9, 0, 0.05, 0.05]])
    }

    func testGreedyAndBeamDifferOnAKnownTable() {
        let greedy = GreedyDecoder.decode(knownAnswerTable(), rows: 1, beginToken: bos, endToken: eos, maxLength: 10)
        XCTAssertEqual(greedy, [[a]])
        let hypotheses = BeamSearch(beamWidth: 2, maxLength: 10).search(knownAnswerTable(), beginToken: bos, endToken: eos)
        XCTAssertEqual(hypotheses.map(\.tokens), [[b], [a]])
        XCTAssertEqual(hypotheses[0].logProbability, Double.log(0.4 * 0.9), accuracy: 1e-12)
        XCTAssertEqual(hypotheses[1].logProbability, Double.log(0.5 * 0.4), accuracy: 1e-12)
        XCTAssertTrue(hypotheses.allSatisfy(\.isFinished))
    }

    /// p(⟨eos⟩) = .4, p(a) = .55, p(b) = .05; after a: ⟨eos⟩ .6, a .3, b .1.
    /// Beam 2: step 1 finishes "" (log .4, rank 2 of 3) and keeps a, b; step 2 finishes
    /// "a" (log .33) first. α = 0: "" wins (−0.916 > −1.109); α = 1: "a" wins (−1.109/2 = −0.554 > −0.916).
    func testLengthNormalisation() {
        func table() -> TableScorer { TableScorer([[]: [0.4, 0, 0.55, 0.05], [2]: [0.6, 0, 0.3, 0.1]]) }
        let raw = BeamSearch(beamWidth: 2, lengthPenalty: 0, maxLength: 10).search(table(), beginToken: bos, endToken: eos)
        XCTAssertEqual(raw.map(\.tokens), [[], [a]])
        XCTAssertEqual(raw[0].score, Double.log(0.4), accuracy: 1e-12)
        let normalised = BeamSearch(beamWidth: 2, lengthPenalty: 1, maxLength: 10).search(table(), beginToken: bos, endToken: eos)
        XCTAssertEqual(normalised.map(\.tokens), [[a], []])
        XCTAssertEqual(normalised[0].score, Double.log(0.55 * 0.6) / 2, accuracy: 1e-12)
    }

    func testMaximumLengthCutsHypotheses() {
        let always = TableScorer([:], fallback: [0.1, 0, 0.6, 0.3])
        XCTAssertEqual(GreedyDecoder.decode(always, rows: 1, beginToken: bos, endToken: eos, maxLength: 3), [[a, a, a]])
        XCTAssertEqual(always.advances, 3)
        let fresh = TableScorer([:], fallback: [0.1, 0, 0.6, 0.3])
        let best = BeamSearch(beamWidth: 1, maxLength: 3).search(fresh, beginToken: bos, endToken: eos)[0]
        XCTAssertEqual(best.tokens, [a, a, a])
        XCTAssertFalse(best.isFinished)
        XCTAssertEqual(best.logProbability, 3 * Double.log(0.6), accuracy: 1e-12)
        XCTAssertEqual(fresh.advances, 3)
    }

    func testBeamWidthOneEqualsGreedyOnTables() {
        for table in [knownAnswerTable(), TableScorer([[]: [0.4, 0, 0.55, 0.05], [2]: [0.6, 0, 0.3, 0.1]])] {
            let greedy = GreedyDecoder.decode(table, rows: 1, beginToken: bos, endToken: eos, maxLength: 10)[0]
            XCTAssertEqual(BeamSearch(beamWidth: 1, maxLength: 10).decode(table, beginToken: bos, endToken: eos), greedy)
        }
    }

    func testBeamWidthOneEqualsGreedyOnRandomScorers() {
        var lengths = Set<Int>(), differs = 0
        for seed in 0..<40 as Range<UInt64> {
            let greedy = GreedyDecoder.decode(HashedScorer(seed: seed), rows: 1, beginToken: 1, endToken: 0, maxLength: 12)[0]
            XCTAssertEqual(BeamSearch(beamWidth: 1, maxLength: 12).decode(HashedScorer(seed: seed), beginToken: 1, endToken: 0),
                           greedy, "seed \(seed)")
            let wide = BeamSearch(beamWidth: 4, maxLength: 12).decode(HashedScorer(seed: seed), beginToken: 1, endToken: 0)
            if wide != greedy { differs += 1 }
            lengths.insert(greedy.count)
        }
        XCTAssertGreaterThan(lengths.count, 2, "the scorers produce sequences of varied lengths")
        XCTAssertGreaterThan(differs, 0, "a wider beam finds other answers on some scorers")
    }

    /// On untrained random models of every attention kind: width 1 equals greedy,
    /// and batched greedy decoding gives each row what it gives alone.
    func testBeamWidthOneEqualsGreedyOnModels() throws {
        let sources: [[Int32]] = [[2, 3, 4], [4, 4, 2, 3, 2], [3]]
        for attention in [nil, AttentionKind.additive, .dot, .general] {
            let configuration = EncoderDecoderConfiguration(
                sourceVocabulary: 5, targetVocabulary: 5, embeddingSize: 3, encoderCell: .gru, encoderHiddenSize: 3,
                bidirectionalEncoder: attention != nil, decoderCell: .lstm, decoderHiddenSize: attention == .dot ? 6 : 4,
                decoderLayers: 2, attention: attention, attentionSize: 3)
            let model = try EncoderDecoder<Double>(configuration)
            var random = RandomStream(seed: 21, stream: "decode-test")
            FiniteDifference.randomize(model.parameters, &random, scale: 1.5)
            let batched = GreedyDecoder.decode(EncoderDecoderScorer(model: model, sources: sources), rows: sources.count,
                                               beginToken: 1, endToken: 0, maxLength: 8)
            for (i, source) in sources.enumerated() {
                let scorer = EncoderDecoderScorer(model: model, sources: [source])
                let greedy = GreedyDecoder.decode(scorer, rows: 1, beginToken: 1, endToken: 0, maxLength: 8)[0]
                XCTAssertEqual(greedy, batched[i], "\(String(describing: attention)) row \(i)")
                XCTAssertEqual(BeamSearch(beamWidth: 1, maxLength: 8).decode(scorer, beginToken: 1, endToken: 0), greedy,
                               "\(String(describing: attention)) source \(i)")
                // A wider beam never finds a worse best hypothesis than width 1 here (same log-probability or better).
                let wide = BeamSearch(beamWidth: 3, maxLength: 8).search(scorer, beginToken: 1, endToken: 0)
                XCTAssertFalse(wide.isEmpty)
            }
        }
    }

    /// Step-by-step decoding scores a sequence exactly as the teacher-forced pass does.
    func testStepwiseLogProbabilitiesMatchTeacherForcing() throws {
        let configuration = EncoderDecoderConfiguration(
            sourceVocabulary: 5, targetVocabulary: 5, embeddingSize: 3, encoderCell: .lstm, encoderHiddenSize: 3,
            bidirectionalEncoder: true, decoderCell: .gru, decoderHiddenSize: 4, attention: .additive, attentionSize: 3)
        let model = try EncoderDecoder<Double>(configuration)
        var random = RandomStream(seed: 22, stream: "decode-test")
        model.resetParameters(random: &random)
        let source: [Int32] = [2, 4, 3, 3], target: [Int32] = [3, 2, 4]
        model.forward(Seq2SeqBatch(sources: [source], targets: [target], beginToken: 1, endToken: 0, padToken: 0))
        let teacherForced = model.lastLossSum.total
        let scorer = EncoderDecoderScorer(model: model, sources: [source])
        scorer.reset(rows: 1)
        var logProbabilities = [Double](repeating: 0, count: 5)
        var total = 0.0
        for (input, next) in zip([Int32(1)] + target, target + [0]) {
            scorer.advance(tokens: [input], logProbabilities: &logProbabilities)
            total -= logProbabilities[Int(next)]
            let weights = model.attention!.weights
            XCTAssertEqual((0..<4).reduce(0.0) { $0 + weights[$1] }, 1, accuracy: 1e-12)
        }
        XCTAssertEqual(total, teacherForced, accuracy: 1e-10)
    }

    func testSequenceAccuracy() {
        var accuracy = SequenceAccuracy()
        accuracy.add(prediction: [2, 3, 4], reference: [2, 3, 4])   // exact: 3/3
        accuracy.add(prediction: [2, 4], reference: [2, 3, 4])      // 1 of max(2, 3) = 3
        accuracy.add(prediction: [2, 3, 4, 4], reference: [2, 3])   // 2 of 4
        XCTAssertEqual(accuracy.exactMatch, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(accuracy.tokenAccuracy, 6.0 / 10, accuracy: 1e-15)
    }
}
