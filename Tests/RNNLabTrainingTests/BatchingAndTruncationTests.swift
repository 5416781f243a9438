import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import XCTest

final class StreamBatchingTests: XCTestCase {
    let stream = (0..<103).map { Int32($0) }   // token value = its position

    func testSequentialRowsAreContiguousAcrossBatches() {
        var random = RandomStream(seed: 1, stream: "data-order")
        let batches: [SequenceBatch<Float>] = StreamBatcher.batches(stream: stream, batch: 4, steps: 5,
                                                                    partitioning: .sequential, random: &random)
        XCTAssertGreaterThan(batches.count, 1)
        XCTAssertFalse(batches[0].continuesPrevious)
        XCTAssertTrue(batches.dropFirst().allSatisfy(\.continuesPrevious))
        for b in 0..<4 {
            // Row b read across all batches is one contiguous run of the stream.
            let row = batches.flatMap { batch in (0..<batch.steps).map { batch.tokens![$0 * 4 + b] } }
            XCTAssertEqual(row, Array(row[0]...(row[0] + Int32(row.count - 1))))
            let targets = batches.flatMap { batch in (0..<batch.steps).map { batch.classTargets![$0 * 4 + b] } }
            XCTAssertEqual(targets, row.map { $0 + 1 }, "targets are the next tokens")
        }
        XCTAssertTrue(batches.allSatisfy { $0.steps == 5 }, "training drops a partial final batch")
    }

    func testRandomPartitioningGivesShuffledIndependentSubsequences() {
        var random = RandomStream(seed: 2, stream: "data-order")
        let batches: [SequenceBatch<Float>] = StreamBatcher.batches(stream: stream, batch: 3, steps: 5,
                                                                    partitioning: .random, random: &random)
        XCTAssertTrue(batches.allSatisfy { !$0.continuesPrevious }, "state is reset for every batch")
        var starts: [Int32] = []
        for batch in batches {
            for b in 0..<3 {
                let row = (0..<5).map { batch.tokens![$0 * 3 + b] }
                XCTAssertEqual(row, Array(row[0]...(row[0] + 4)), "each subsequence is contiguous")
                XCTAssertEqual((0..<5).map { batch.classTargets![$0 * 3 + b] }, row.map { $0 + 1 })
                starts.append(row[0])
            }
        }
        let offset = starts.min()! % 5
        XCTAssertTrue(starts.allSatisfy { $0 % 5 == offset }, "subsequences start on a grid of T from one offset")
        XCTAssertEqual(Set(starts).count, starts.count, "no subsequence is used twice")
        XCTAssertNotEqual(starts, starts.sorted(), "the order is shuffled")
    }

    func testEachEpochDrawsAFreshOffset() {
        var random = RandomStream(seed: 3, stream: "data-order")
        let firsts = (0..<12).map { _ -> Int32 in
            let batches: [SequenceBatch<Float>] = StreamBatcher.batches(stream: stream, batch: 2, steps: 7,
                                                                        partitioning: .sequential, random: &random)
            return batches[0].tokens![0]
        }
        XCTAssertGreaterThan(Set(firsts).count, 3)
        XCTAssertTrue(firsts.allSatisfy { $0 >= 0 && $0 <= 7 })
    }

    func testEvaluationKeepsThePartialBatch() {
        let batches: [SequenceBatch<Float>] = StreamBatcher.sequential(stream: stream, batch: 4, steps: 7)
        XCTAssertEqual(batches.reduce(0) { $0 + $1.steps * $1.batch }, (103 - 1) / 4 * 4)
        XCTAssertEqual(batches.last?.steps, 25 % 7)
    }
}

final class TruncationTests: XCTestCase {
    func testSegments() {
        var random = RandomStream(seed: 1, stream: "truncation")
        XCTAssertEqual(TruncationStyle.full.segments(steps: 10, random: &random), [0..<10])
        XCTAssertEqual(TruncationStyle.fixed(4).segments(steps: 10, random: &random), [0..<4, 4..<8, 8..<10])
        // Randomised: contiguous cover with geometric lengths of mean k.
        var lengths: [Int] = []
        for _ in 0..<200 {
            let segments = TruncationStyle.randomized(mean: 8).segments(steps: 1000, random: &random)
            XCTAssertEqual(segments.first?.lowerBound, 0)
            XCTAssertEqual(segments.last?.upperBound, 1000)
            for (a, b) in zip(segments, segments.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
            lengths += segments.dropLast().map(\.count)
        }
        let mean = Double(lengths.reduce(0, +)) / Double(lengths.count)
        XCTAssertEqual(mean, 8, accuracy: 0.15)
        let ones = Double(lengths.filter { $0 == 1 }.count) / Double(lengths.count)
        XCTAssertEqual(ones, 1.0 / 8, accuracy: 0.01, "P(L = 1) = c for a geometric length")
        XCTAssertEqual(TruncationStyle.randomized(mean: 8, unbiased: true).stateGradientScale, 8.0 / 7)
        XCTAssertEqual(TruncationStyle.randomized(mean: 8).stateGradientScale, 1)
    }

    /// Fixed-k truncation as the trainer does it: the second segment starts from
    /// the first one's final state, detached. Its gradient must be exactly the
    /// gradient with that state held constant (nothing reaches the steps before
    /// the boundary), and must differ from full BPTT of the same loss.
    func testFixedTruncationStopsTheGradientAtTheBoundary() {
        let config = SequenceModelConfiguration(input: .oneHot(vocabulary: 5), cell: .lstm, hiddenSize: 6,
                                                head: .classPerStep(classes: 5))
        let model = SequenceModel<Double>(config)
        var random = RandomStream(seed: 4, stream: "init")
        InitializationScheme(recurrent: .uniform(0.8)).apply(to: model, random: &random)
        let (T, B, k) = (6, 2, 3)
        let tokens = (0..<(T * B)).map { _ in Int32(random.index(below: 5)) }
        // The loss counts only the second segment's targets.
        let targets = (0..<(T * B)).map { $0 / B < k ? SequenceModel<Double>.ignoreIndex : Int32(random.index(below: 5)) }
        let batch = SequenceBatch<Double>(steps: T, batch: B, tokens: tokens, classTargets: targets)

        // Truncated: segment 1 forward only, carry the state, segment 2 forward + backward.
        model.forward(batch.slice(steps: 0..<k, perStepTargets: true))
        let h = model.network.finalHidden.clone(), c = model.network.finalCell.clone()
        let second = batch.slice(steps: k..<T, perStepTargets: true)
        model.zeroGradients()
        model.forward(second, initialHidden: h, initialCell: c)
        model.backward()
        let truncated = model.parameters.map { $0.gradient.array }

        // Finite differences of the segment-2 loss with the carried state held fixed.
        for (index, parameter) in model.parameters.enumerated() {
            for i in stride(from: 0, to: parameter.value.count, by: 7) {
                let saved = parameter.value[i]
                parameter.value[i] = saved + 1e-6
                let plus = model.forward(second, initialHidden: h, initialCell: c)
                parameter.value[i] = saved - 1e-6
                let minus = model.forward(second, initialHidden: h, initialCell: c)
                parameter.value[i] = saved
                XCTAssertEqual(truncated[index][i], (plus - minus) / 2e-6, accuracy: 1e-7, parameter.name)
            }
        }
        // Full BPTT of the same loss differs: it also flows into steps 0..<k.
        model.zeroGradients()
        model.forward(batch)
        model.backward()
        let full = model.parameters.map { $0.gradient.array }
        let recurrentIndex = model.parameters.firstIndex { $0.name == "rnn.weight_hh_l0" }!
        let difference = zip(full[recurrentIndex], truncated[recurrentIndex]).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(difference, 1e-4)
        // And the input gradient at the steps before the boundary is exactly zero under truncation,
        // while full BPTT reaches them.
        let dense = SequenceModel<Double>(SequenceModelConfiguration(input: .dense(features: 5), cell: .gru, hiddenSize: 6,
                                                                     head: .classPerStep(classes: 5)))
        InitializationScheme().apply(to: dense, random: &random)
        let x = Tensor<Double>(shape: [T * B, 5])
        for i in 0..<x.count { x[i] = random.uniform(-1, 1) }
        let denseBatch = SequenceBatch<Double>(steps: T, batch: B, features: x, classTargets: targets)
        dense.forward(denseBatch)
        dense.backward(inputGradient: true)
        let fullInputGradient = dense.network.inputGradient.array
        XCTAssertGreaterThan(fullInputGradient[0..<(k * B * 5)].map(abs).max()!, 1e-6)
        dense.forward(denseBatch.slice(steps: 0..<k, perStepTargets: true))   // segment 1 has no counted targets
        dense.backward(inputGradient: true)
        XCTAssertEqual(dense.network.inputGradient.array.map(abs).max(), 0)
    }
}
