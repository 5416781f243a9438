import RNNLabLayers
import XCTest

/// Finite-difference gradient checks in Double for every classic cell type ×
/// {1, 2 layers} × {uni-, bidirectional} × {zero, given initial state}:
/// every parameter, the input and the initial states. (Every cell, the classic ones
/// included, also goes through `CellChecker` in `CellCheckerTests`.)
final class RecurrentGradientTests: XCTestCase {
    let tolerance = 1e-6

    func testEveryCellLayerDirectionAndStateCombination() {
        for cell in CellKind.allCases where cell.isClassic {
            for layers in [1, 2] {
                for bidirectional in [false, true] {
                    for givenState in [false, true] {
                        let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 4,
                                                            layers: layers, bidirectional: bidirectional)
                        let probe = RecurrentProbe<Double>(config, steps: 4, batch: 2, givenState: givenState)
                        let result = probe.maxRelativeGradientError()
                        XCTAssertLessThan(result.error, tolerance,
                                          "\(cell) layers=\(layers) bidirectional=\(bidirectional) state=\(givenState): \(result.worst)")
                    }
                }
            }
        }
    }

    func testPaddedBatchGradients() {
        for cell in CellKind.allCases where cell.isClassic {
            let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true)
            let probe = RecurrentProbe<Double>(config, steps: 5, batch: 3, givenState: true, lengths: [5, 2, 4])
            let result = probe.maxRelativeGradientError()
            XCTAssertLessThan(result.error, tolerance, "\(cell) padded: \(result.worst)")
        }
    }

    func testInterLayerDropoutGradients() {
        for cell in CellKind.allCases where cell.isClassic {
            let config = RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 4, layers: 3,
                                                bidirectional: true, dropout: 0.4)
            let probe = RecurrentProbe<Double>(config, steps: 3, batch: 2, givenState: true, dropoutSeed: 11)
            let result = probe.maxRelativeGradientError()
            XCTAssertLessThan(result.error, tolerance, "\(cell) with dropout: \(result.worst)")
        }
    }
}
