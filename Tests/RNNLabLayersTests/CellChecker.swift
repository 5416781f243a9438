import RNNLabLayers
import RNNLabNumerics
import XCTest

/// The one checker every recurrent cell passes through (in `CellCheckerTests`): finite
/// differences in Double for every parameter, the input and the initial states, over
/// {1, 2 layers} × {uni-, bidirectional} × {zero, given initial state}, a padded batch and
/// inter-layer dropout; then Float against Double.
///
/// Tolerance: relative error below 1e-6 with a floor of 1e-4, i.e. gradients smaller than
/// 1e-4 are held to an absolute error of 1e-10. The fourth-order stencil's round-off is about
/// ε·|L|/h ≈ 1e-16 · 10 / 1e-4 = 1e-11 absolute, so relative errors of gradients near 1e-5
/// reach 1e-6 from the numerical side alone (seen with the larger peephole LSTMs); the floor
/// keeps every check above that noise while a wrong derivative (errors of order 1) still fails.
struct CellChecker {
    let cell: CellKind
    var tolerance = 1e-6
    var floor = 1e-4

    func configuration(layers: Int, bidirectional: Bool, dropout: Double = 0) -> RecurrentConfiguration {
        RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 4, layers: layers, bidirectional: bidirectional,
                               dropout: dropout)
    }

    /// Finite differences for every layer, direction and initial-state combination, padding and dropout.
    func checkGradients(file: StaticString = #filePath, line: UInt = #line) {
        for layers in [1, 2] {
            for bidirectional in [false, true] {
                for givenState in [false, true] {
                    let probe = RecurrentProbe<Double>(configuration(layers: layers, bidirectional: bidirectional),
                                                       steps: 4, batch: 2, givenState: givenState)
                    let result = probe.maxRelativeGradientError(floor: floor)
                    XCTAssertLessThan(result.error, tolerance,
                                      "\(cell) layers=\(layers) bidirectional=\(bidirectional) state=\(givenState): \(result.worst)",
                                      file: file, line: line)
                }
            }
        }
        let padded = RecurrentProbe<Double>(configuration(layers: 2, bidirectional: true), steps: 5, batch: 3,
                                            givenState: true, lengths: [5, 2, 4])
        let paddedResult = padded.maxRelativeGradientError(floor: floor)
        XCTAssertLessThan(paddedResult.error, tolerance, "\(cell) padded: \(paddedResult.worst)", file: file, line: line)
        let dropped = RecurrentProbe<Double>(configuration(layers: 3, bidirectional: true, dropout: 0.4), steps: 3, batch: 2,
                                             givenState: true, dropoutSeed: 11)
        let droppedResult = dropped.maxRelativeGradientError(floor: floor)
        XCTAssertLessThan(droppedResult.error, tolerance, "\(cell) dropout: \(droppedResult.worst)", file: file, line: line)
    }

    /// The same weights in Float and Double (two layers, bidirectional, padded): Float gradients within
    /// 1e-4 and outputs within 1e-5 of Double's.
    func checkFloatAgreesWithDouble(file: StaticString = #filePath, line: UInt = #line) {
        let config = RecurrentConfiguration(cell: cell, inputSize: 6, hiddenSize: 8, layers: 2, bidirectional: true)
        let lengths = [10, 7, 3]
        let double = RecurrentProbe<Double>(config, steps: 10, batch: 3, givenState: true, lengths: lengths)
        let float = RecurrentProbe<Float>(config, steps: 10, batch: 3, givenState: true, lengths: lengths)
        double.backward()
        float.backward()
        for (d, f) in zip(double.differentiables, float.differentiables) {
            XCTAssertEqual(d.name, f.name, file: file, line: line)
            let worst = (0..<d.gradient.count).map { abs(Double(f.gradient[$0]) - d.gradient[$0]) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4, "\(cell) ∂\(d.name)", file: file, line: line)
        }
        let worstOutput = (0..<double.network.output.count)
            .map { abs(Double(float.network.output[$0]) - double.network.output[$0]) }.max() ?? 0
        XCTAssertLessThan(worstOutput, 1e-5, "\(cell) output", file: file, line: line)
    }

    /// Every check.
    func checkAll(file: StaticString = #filePath, line: UInt = #line) {
        checkGradients(file: file, line: line)
        checkFloatAgreesWithDouble(file: file, line: line)
    }
}
