import Foundation
import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import XCTest

/// Whole training steps against PyTorch, in the manner of llm.c's `test_gpt2.c`: for every cell, a
/// tiny `SequenceModel` (one-hot, embedding or dense input, two stacked layers, a per-step
/// classification head with mean cross-entropy or a per-sequence regression head with the MSE)
/// starts from the fixture's weights and trains on its 10 batches through the real trainer
/// (`Trainer`: forward, backward, `GradientClipping`, `Optimizer`, IndRNN's recurrent_max); the
/// per-step losses and the final weights must match the reference's
/// (`Fixtures/pytorch_training.json`, from `RNNLabLayersTests/Fixtures/make_training_fixtures.py`:
/// torch.optim.SGD with momentum and torch.optim.Adam, every clipping rule).
///
/// Tolerance: 1e-9 relative (|a − b| ≤ 1e-9 · max(1, |b|)) in float64. The two sides sum in different
/// orders, so each forward/backward differs by a few ulps (1e-15); ten updates with Adam, whose
/// m/√v step normalises small gradients, amplify that by at most a few orders of magnitude, far
/// below 1e-9, while any difference of rule (a missing epsilon, a clipping threshold applied to
/// the wrong norm, a momentum buffer started at zero) shows up at 1e-6 or more.
final class TrainingParityTests: XCTestCase {
    struct Case: Decodable {
        struct Optimizer: Decodable {
            let kind: String, learning_rate: Double
            let momentum: Double?, beta1: Double?, beta2: Double?, epsilon: Double?
        }
        struct Clipping: Decodable { let kind: String; let threshold: Double? }
        struct Values: Decodable { let shape: [Int]; let values: [Double] }
        struct Batch: Decodable {
            let tokens: [Int32]?, features: [Double]?, targets: [Int32]?, values: [Double]?
        }
        let name: String, cell: String, input: String
        let vocabulary: Int, embedding: Int, features: Int, hidden_size: Int, layers: Int, bidirectional: Bool
        let head: String, outputs: Int, steps: Int, batch: Int
        let optimizer: Optimizer, clipping: Clipping, recurrent_max: Double?
        let initial_parameters: [String: Values]
        let batches: [Batch]
        let losses: [Double]
        let final_parameters: [String: [Double]]
    }
    struct FixtureFile: Decodable { let generator: String; let cases: [Case] }

    let tolerance = 1e-9

    func loadCases() throws -> [Case] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "pytorch_training", withExtension: "json", subdirectory: "Fixtures"),
                                "fixture file missing from the test bundle")
        return try JSONDecoder().decode(FixtureFile.self, from: Data(contentsOf: url)).cases
    }

    func model(for fixture: Case) throws -> SequenceModel<Double> {
        let cell = try XCTUnwrap(CellKind(rawValue: fixture.cell), fixture.cell)
        let input: SequenceInput
        switch fixture.input {
        case "one_hot": input = .oneHot(vocabulary: fixture.vocabulary)
        case "embedding": input = .embedding(vocabulary: fixture.vocabulary, dimension: fixture.embedding)
        default: input = .dense(features: fixture.features)
        }
        let head: SequenceHead = fixture.head == "class_per_step"
            ? .classPerStep(classes: fixture.outputs) : .regressionPerSequence(outputs: fixture.outputs)
        return SequenceModel(SequenceModelConfiguration(
            input: input, cell: cell, hiddenSize: fixture.hidden_size, layers: fixture.layers,
            bidirectional: fixture.bidirectional, head: head, recurrentMax: fixture.recurrent_max))
    }

    func configuration(for fixture: Case) -> TrainingConfiguration {
        let o = fixture.optimizer
        let optimizer: OptimizerConfiguration = o.kind == "sgd"
            ? .sgd(learningRate: o.learning_rate, momentum: o.momentum ?? 0)
            : .adam(learningRate: o.learning_rate, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-8)
        let threshold = fixture.clipping.threshold ?? 0
        let clipping: GradientClipping
        switch fixture.clipping.kind {
        case "global_norm": clipping = .globalNorm(threshold)
        case "per_tensor_norm": clipping = .perTensorNorm(threshold)
        case "value": clipping = .value(threshold)
        default: clipping = .none
        }
        return TrainingConfiguration(epochs: 1, optimizer: optimizer, clipping: clipping, seed: 1)
    }

    func batches(for fixture: Case) -> [SequenceBatch<Double>] {
        fixture.batches.map { b in
            var batch = SequenceBatch<Double>(steps: fixture.steps, batch: fixture.batch)
            batch.tokens = b.tokens
            batch.features = b.features.map { Tensor(shape: [fixture.steps * fixture.batch, fixture.features], values: $0) }
            batch.classTargets = b.targets
            batch.valueTargets = b.values.map { Tensor(shape: [fixture.batch, fixture.outputs], values: $0) }
            return batch
        }
    }

    func testTenTrainingStepsMatchPyTorch() throws {
        let cases = try loadCases()
        XCTAssertEqual(Set(cases.map(\.cell)), Set(CellKind.allCases.map(\.rawValue)), "every cell has a training case")
        XCTAssertEqual(Set(cases.map(\.clipping.kind)), ["none", "global_norm", "per_tensor_norm", "value"])
        XCTAssertEqual(Set(cases.map(\.optimizer.kind)), ["sgd", "adam"])
        for fixture in cases {
            let model = try model(for: fixture)
            let source = FixedBatchSource(training: batches(for: fixture), shuffle: false)
            let trainer = try Trainer(model: model, configuration: configuration(for: fixture), source: source)
            XCTAssertEqual(model.parameters.map(\.name).sorted(), fixture.initial_parameters.keys.sorted(), fixture.name)
            for parameter in model.parameters {
                let values = try XCTUnwrap(fixture.initial_parameters[parameter.name])
                XCTAssertEqual(parameter.shape, values.shape, "\(fixture.name): \(parameter.name)")
                parameter.value.copy(from: Tensor(shape: values.shape, values: values.values))
            }
            let recorder = RecordingObserver()
            trainer.addObserver(recorder)
            trainer.run()
            XCTAssertEqual(recorder.steps.count, fixture.losses.count, fixture.name)
            for (step, (record, expected)) in zip(recorder.steps, fixture.losses).enumerated() {
                XCTAssertLessThanOrEqual(abs(record.loss - expected), tolerance * max(1, abs(expected)),
                                         "\(fixture.name) step \(step + 1): loss \(record.loss) vs \(expected)")
            }
            for parameter in model.parameters {
                let expected = try XCTUnwrap(fixture.final_parameters[parameter.name])
                let worst = zip(parameter.value.array, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, tolerance, "\(fixture.name) final \(parameter.name)")
            }
        }
    }
}
