import RNNLab
import XCTest

/// The README's library example, with the same calls (smaller sizes so that it runs in a debug build).
final class ReadmeExampleTests: XCTestCase {
    func testLibraryExample() throws {
        let lstm = RecurrentNetwork<Float>(
            RecurrentConfiguration(cell: .lstm, inputSize: 10, hiddenSize: 32, layers: 2, bidirectional: true))
        var random = RandomStream(seed: 1, stream: "init")
        lstm.resetParameters(random: &random)
        let x = Tensor<Float>(shape: [50, 8, 10])
        let output = lstm.forward(x, lengths: [50, 41, 37, 50, 12, 50, 50, 3])
        XCTAssertEqual(output.shape, [50, 8, 64])
        lstm.zeroGradients()
        lstm.backward(outputGradient: Tensor(shape: output.shape, repeating: 1))
        XCTAssertEqual(lstm.parameters[0].name, "weight_ih_l0")
        XCTAssertEqual(lstm.parameters[0].shape, [128, 10])

        let task = AddingProblem(length: 50, trainingExamples: 200, evaluationExamples: 100)
        let model = SequenceModel<Float>(SequenceModelConfiguration(
            input: task.input, cell: .lstm, hiddenSize: 64, head: task.head))
        let trainer = try Trainer(model: model, configuration: TrainingConfiguration(
            epochs: 1, optimizer: .adam(learningRate: 1e-3), clipping: .globalNorm(1), seed: 1),
            source: task.makeSource(batchSize: 50))
        let outcome = trainer.run()
        XCTAssertNotNil(outcome.testMetricsAtBestEpoch["mse"])
        XCTAssertNotNil(task.baseline(.test)["mse"])
    }
}
