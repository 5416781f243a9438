import RNNLabLayers
import RNNLabNumerics
import RNNLabTasks
import RNNLabTraining
import RealModule
import XCTest

final class SyntheticTaskTests: XCTestCase {
    func testAddingProblemExamplesAndBaseline() {
        let task = AddingProblem(length: 20, evaluationExamples: 4_000)
        for index in 0..<50 {
            let e = task.example(index, split: .test)
            let marked = e.markers.indices.filter { e.markers[$0] == 1 }
            XCTAssertEqual(marked.count, 2)
            XCTAssertLessThan(marked[0], 10)
            XCTAssertGreaterThanOrEqual(marked[1], 10)
            XCTAssertEqual(e.target, e.values[marked[0]] + e.values[marked[1]], accuracy: 1e-15)
        }
        XCTAssertNotEqual(task.example(0, split: .test).values, task.example(0, split: .validation).values,
                          "splits are generated independently")
        // Predicting 1: expected MSE Var(u1 + u2) = 1/6, and E|u1 + u2 − 1| = 1/3.
        let baseline = task.baseline(.test)
        XCTAssertEqual(baseline["mse"]!, 1.0 / 6, accuracy: 0.01)
        XCTAssertEqual(baseline["mae"]!, 1.0 / 3, accuracy: 0.01)
        // The batches carry the same numbers.
        let batch = task.makeSource(batchSize: 4).evaluationBatches(.test)[0]
        XCTAssertEqual(batch.steps, 20)
        XCTAssertEqual(Double(batch.valueTargets![2]), task.example(2, split: .test).target, accuracy: 1e-6)
        XCTAssertEqual(Double(batch.features![(5 * 4 + 2) * 2]), task.example(2, split: .test).values[5], accuracy: 1e-6)
    }

    func testCopyMemoryExamplesAndBaseline() {
        let task = CopyMemory(delay: 30)
        let e = task.example(3, split: .test)
        XCTAssertEqual(e.input.count, 50)
        XCTAssertEqual(e.target.count, 50)
        XCTAssertEqual(Array(e.target.suffix(10)), Array(e.input.prefix(10)))
        XCTAssertTrue(e.input.prefix(10).allSatisfy { (1...8).contains($0) })
        XCTAssertEqual(e.input[39], 9, "the delimiter comes T − 1 blanks after the data")
        XCTAssertTrue(e.target.prefix(40).allSatisfy { $0 == 0 })
        XCTAssertEqual(task.baseline(.test)["loss"]!, 10 * Double.log(8) / 50, accuracy: 1e-15)
    }

    func testEmbeddedReberStringsAreGrammatical() {
        let task = EmbeddedReber()
        for index in 0..<200 {
            let e = task.example(index, split: .test)
            XCTAssertEqual(e.symbols.count, e.legal.count)
            // Every next symbol is among the legal ones.
            for t in 0..<(e.symbols.count - 1) { XCTAssertTrue(e.legal[t].contains(Int(e.symbols[t + 1]))) }
            // The embedding: the second and the last input symbols agree, and only that symbol is legal after the inner E.
            XCTAssertEqual(e.symbols[1], e.symbols.last)
            XCTAssertEqual(e.legal[e.legal.count - 2], [Int(e.symbols[1])])
            XCTAssertEqual(e.legal.last, [6])
        }
        let baseline = task.baseline(.test)
        XCTAssertEqual(baseline["long_range_accuracy"], 0, "frequencies cannot know which branch was taken")
        XCTAssertGreaterThan(baseline["loss"]!, 0.5)
    }

    func testAnLSTMBeatsTheAddingBaseline() throws {
        let task = AddingProblem(length: 10, trainingExamples: 2_000, evaluationExamples: 500)
        let model = SequenceModel<Float>(SequenceModelConfiguration(input: task.input, cell: .lstm, hiddenSize: 24, head: task.head))
        let trainer = try Trainer(model: model, configuration: TrainingConfiguration(
            epochs: 12, optimizer: .adam(learningRate: 0.01), clipping: .globalNorm(1), seed: 1),
            source: task.makeSource(batchSize: 20))
        let outcome = trainer.run()
        let mse = try XCTUnwrap(outcome.testMetricsAtBestEpoch["mse"])
        XCTAssertLessThan(mse, task.baseline(.test)["mse"]! / 10, "test MSE \(mse) vs baseline 1/6")
        XCTAssertEqual(outcome.testMetricsAtBestEpoch["mse"], outcome.testMetricsAtBestEpoch["loss"])
    }
}

final class ForecastingTests: XCTestCase {
    func testSplitsStandardisationAndNaiveBaseline() throws {
        // A ramp 0, 1, 2, …: the naive forecast is always off by exactly 1.
        let series = (0..<100).map(Double.init)
        let task = try ForecastingTask(name: "ramp", series: series, window: 5)
        XCTAssertEqual(task.targets(nil), 5..<70)
        XCTAssertEqual(task.targets(.validation), 70..<85)
        XCTAssertEqual(task.targets(.test), 85..<100)
        XCTAssertEqual(task.mean, 34.5, "fitted on the training part only")
        XCTAssertEqual(task.baseline(.test)["mae"], 1)
        XCTAssertEqual(task.baseline(.test)["mse"], 1)
        let batch = task.makeSource(batchSize: 4).evaluationBatches(.test)[0]
        // Row 1 of the first test batch: target 86, window 81…85.
        XCTAssertEqual(Double(batch.valueTargets![1]) * task.standardDeviation + task.mean, 86, accuracy: 1e-4)
        XCTAssertEqual(Double(batch.features![4 * 4 + 1]) * task.standardDeviation + task.mean, 85, accuracy: 1e-4)
        XCTAssertThrowsError(try ForecastingTask(name: "short", series: [1, 2, 3], window: 5))
    }

    func testSyntheticSeries() {
        let sine = SyntheticSeries.noisySine(length: 100, period: 48, noise: 0)
        XCTAssertEqual(sine[12], 1, accuracy: 1e-12)
        XCTAssertEqual(sine[24], 0, accuracy: 1e-12)
        let noisy = SyntheticSeries.noisySine(length: 20_000, period: 48, noise: 0.1)
        let residual = zip(noisy, SyntheticSeries.noisySine(length: 20_000, period: 48, noise: 0)).map { $0 - $1 }
        let variance = residual.reduce(0) { $0 + $1 * $1 } / 20_000
        XCTAssertEqual(variance, 0.01, accuracy: 0.001)
        let glass = SyntheticSeries.mackeyGlass(length: 500)
        XCTAssertTrue(glass.allSatisfy { $0 > 0.2 && $0 < 1.5 }, "the attractor stays in (0.2, 1.5)")
        XCTAssertGreaterThan(Set(glass.map { ($0 * 100).rounded() }).count, 50, "chaotic, not periodic with a short period")
    }
}
