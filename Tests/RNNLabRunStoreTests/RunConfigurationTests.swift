import Foundation
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining
import XCTest

final class RunConfigurationTests: XCTestCase {
    func configuration(seed: UInt64 = 1, cell: CellKind = .gru) -> RunConfiguration {
        RunConfiguration(task: .adding(length: 8, trainingExamples: 200, evaluationExamples: 50),
                         model: ModelSettings(cell: cell, hiddenSize: 8),
                         training: TrainingConfiguration(epochs: 2, optimizer: .adam(learningRate: 0.01), clipping: .globalNorm(1), seed: seed),
                         batchSize: 20)
    }

    func testRunIDsAreStable() throws {
        XCTAssertEqual(try configuration().runID(), try configuration().runID())
        XCTAssertNotEqual(try configuration().runID(), try configuration(seed: 2).runID())
        XCTAssertNotEqual(try configuration().runID(), try configuration(cell: .lstm).runID())
        XCTAssertEqual(try configuration().runID().count, 16)
    }
}
