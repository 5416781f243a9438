import Foundation
import RNNLabLayers
import RNNLabNumerics
import XCTest

/// Known answers for the cells PyTorch has no module for (IndRNN, the peephole LSTMs, minGRU,
/// minLSTM), from the plain-PyTorch references in `Fixtures/reference_cells.py` (float64;
/// `make_pytorch_fixtures.py cells`): outputs, final states, the loss and every gradient of
/// tiny networks (one layer; two bidirectional layers with given states, with and without
/// padding), matched to 1e-6 as `PyTorchParityTests`.
final class NewCellParityTests: XCTestCase {
    typealias Fixture = PyTorchParityTests.Fixture
    let tolerance = 1e-6

    func loadFixtures() throws -> [Fixture] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "pytorch_cells", withExtension: "json", subdirectory: "Fixtures"),
                                "fixture file missing from the test bundle")
        return try JSONDecoder().decode(PyTorchParityTests.FixtureFile.self, from: Data(contentsOf: url)).cases
    }

    func assertClose(_ actual: [Double], _ expected: [Double], _ what: String) {
        XCTAssertEqual(actual.count, expected.count, "\(what): element count")
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, tolerance, "\(what): max |difference| \(worst)")
    }

    func testNewCellsMatchThePyTorchReferences() throws {
        let fixtures = try loadFixtures()
        let covered = Set(fixtures.map(\.cell))
        XCTAssertEqual(covered, Set(CellKind.allCases.filter { !$0.isClassic }.map(\.rawValue)), "every new cell has fixtures")
        XCTAssertEqual(fixtures.count, 3 * covered.count)
        for fixture in fixtures {
            let cell = try XCTUnwrap(CellKind(rawValue: fixture.cell))
            let config = RecurrentConfiguration(cell: cell, inputSize: fixture.input_size, hiddenSize: fixture.hidden_size,
                                                layers: fixture.layers, bidirectional: fixture.bidirectional)
            for mode in cell.recurrence == .none ? [ScanMode.parallel, .sequential] : [.automatic] {
                let network = RecurrentNetwork<Double>(config)
                network.scanMode = mode
                let label = "\(fixture.name) (\(mode))"
                XCTAssertEqual(network.parameters.map(\.name).sorted(), fixture.parameters.keys.sorted(), label)
                for parameter in network.parameters {
                    let values = try XCTUnwrap(fixture.parameters[parameter.name], "\(label): \(parameter.name)")
                    XCTAssertEqual(parameter.shape, values.shape, "\(label): shape of \(parameter.name)")
                    parameter.value.copy(from: Tensor(shape: values.shape, values: values.values))
                }
                let D = config.directions, L = config.layers, H = config.hiddenSize
                let (T, B) = (fixture.steps, fixture.batch)
                let input = Tensor(shape: [T, B, fixture.input_size], values: fixture.input)
                let h0 = fixture.h0.map { Tensor(shape: [L * D, B, H], values: $0) }
                let c0 = fixture.c0.map { Tensor(shape: [L * D, B, H], values: $0) }
                network.forward(input, lengths: fixture.lengths, initialHidden: h0, initialCell: c0)
                assertClose(network.output.array, fixture.output, "\(label) output")
                assertClose(network.finalHidden.array, fixture.h_n, "\(label) h_n")
                if let cn = fixture.c_n { assertClose(network.finalCell.array, cn, "\(label) c_n") }

                network.zeroGradients()
                network.backward(outputGradient: Tensor(shape: [T, B, D * H], values: fixture.w_out),
                                 finalHiddenGradient: Tensor(shape: [L * D, B, H], values: fixture.w_h),
                                 finalCellGradient: fixture.w_c.map { Tensor(shape: [L * D, B, H], values: $0) })
                for parameter in network.parameters {
                    assertClose(parameter.gradient.array, try XCTUnwrap(fixture.grad_parameters[parameter.name]),
                                "\(label) ∂\(parameter.name)")
                }
                assertClose(network.inputGradient.array, fixture.grad_input, "\(label) ∂input")
                if let g = fixture.grad_h0 { assertClose(network.initialHiddenGradient.array, g, "\(label) ∂h0") }
                if let g = fixture.grad_c0 { assertClose(network.initialCellGradient.array, g, "\(label) ∂c0") }
            }
        }
    }
}
