import RNNLabLayers
import RNNLabNumerics
import XCTest

/// Names, shapes and relations between the new cells (the numerics are in `CellCheckerTests`
/// and `NewCellParityTests`).
final class CellVariantTests: XCTestCase {
    func names(_ cell: CellKind) -> [String] {
        RecurrentNetwork<Float>(RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 2), name: "rnn").parameters.map(\.name)
    }

    func testParameterNamesAndShapes() {
        XCTAssertEqual(names(.indRNN), ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0"])
        XCTAssertEqual(names(.lstmPeephole), ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                                              "rnn.weight_ci_l0", "rnn.weight_cf_l0", "rnn.weight_co_l0"])
        XCTAssertEqual(names(.lstmNIG).suffix(2), ["rnn.weight_cf_l0", "rnn.weight_co_l0"])
        XCTAssertEqual(names(.lstmCIFG).suffix(2), ["rnn.weight_ci_l0", "rnn.weight_co_l0"])
        XCTAssertEqual(names(.lstmNP), ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0"])
        XCTAssertEqual(names(.lstmFGR).last, "rnn.weight_gg_l0")
        XCTAssertEqual(names(.minGRU), ["rnn.weight_ih_l0", "rnn.bias_ih_l0"])
        let shapes = { (cell: CellKind) in
            RecurrentNetwork<Float>(RecurrentConfiguration(cell: cell, inputSize: 3, hiddenSize: 2)).parameters.map(\.shape)
        }
        XCTAssertEqual(shapes(.indRNN), [[2, 3], [2], [2]])
        XCTAssertEqual(shapes(.lstmNFG), [[6, 3], [6, 2], [6], [6], [2], [2]])
        XCTAssertEqual(shapes(.lstmFGR), [[8, 3], [8, 2], [8], [8], [2], [2], [2], [6, 6]])
        XCTAssertEqual(shapes(.minGRU), [[4, 3], [4]])
        XCTAssertEqual(shapes(.minLSTM), [[6, 3], [6]])
    }

    /// NP (no peepholes) is PyTorch's LSTM with its gate blocks reordered from i, f, g, o to i, f, o, g.
    func testNoPeepholeVariantIsTheLSTM() {
        let (I, H) = (3, 4)
        let lstm = RecurrentProbe<Double>(RecurrentConfiguration(cell: .lstm, inputSize: I, hiddenSize: H), steps: 6,
                                          batch: 2, givenState: true)
        let np = RecurrentNetwork<Double>(RecurrentConfiguration(cell: .lstmNP, inputSize: I, hiddenSize: H))
        let order = [0, 1, 3, 2]   // NP block k reads LSTM block order[k]
        for (p, q) in zip(np.parameters, lstm.network.parameters) {
            let width = p.value.count / (4 * H)
            for k in 0..<4 {
                (p.value.data + k * H * width).update(from: q.value.data + order[k] * H * width, count: H * width)
            }
        }
        lstm.forward()
        np.forward(lstm.input, initialHidden: lstm.initialHidden, initialCell: lstm.initialCell)
        for i in 0..<np.output.count { XCTAssertEqual(np.output[i], lstm.network.output[i], accuracy: 1e-14) }
        for i in 0..<np.finalCell.count { XCTAssertEqual(np.finalCell[i], lstm.network.finalCell[i], accuracy: 1e-14) }
    }

    /// IndRNN's recurrent_max clamps every |u_j| (and only IndRNN's weights).
    func testRecurrentMaxClampsIndRNNWeights() {
        let network = RecurrentNetwork<Double>(RecurrentConfiguration(cell: .indRNN, inputSize: 2, hiddenSize: 3, layers: 2,
                                                                      recurrentMax: 1.5))
        let u = network.parameters[1]
        XCTAssertEqual(u.name, "weight_hh_l0")
        for (j, value) in [3.0, -2.0, 0.5].enumerated() { u.value[j] = value }
        let before = network.parameters[0].value.array
        network.constrainWeights()
        XCTAssertEqual(u.value.array, [1.5, -1.5, 0.5])
        XCTAssertEqual(network.parameters[0].value.array, before)
    }
}
