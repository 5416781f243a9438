import RNNLabLayers
import XCTest

/// Every cell through the shared `CellChecker` (finite differences in Double, stacked,
/// bidirectional, padded, with and without initial states; Float against Double).
final class CellCheckerTests: XCTestCase {
    func testEveryCellKindHasACheck() {
        XCTAssertEqual(CellKind.allCases.count, 17, "a new cell needs its test below")
    }

    func testRnnTanh() { CellChecker(cell: .rnnTanh).checkAll() }
    func testRnnRelu() { CellChecker(cell: .rnnRelu).checkAll() }
    func testLstm() { CellChecker(cell: .lstm).checkAll() }
    func testGru() { CellChecker(cell: .gru).checkAll() }
    func testIndRNN() { CellChecker(cell: .indRNN).checkAll() }
    func testIndRNNTanh() { CellChecker(cell: .indRNNTanh).checkAll() }
    func testLstmPeephole() { CellChecker(cell: .lstmPeephole).checkAll() }
    func testLstmNIG() { CellChecker(cell: .lstmNIG).checkAll() }
    func testLstmNFG() { CellChecker(cell: .lstmNFG).checkAll() }
    func testLstmNOG() { CellChecker(cell: .lstmNOG).checkAll() }
    func testLstmNIAF() { CellChecker(cell: .lstmNIAF).checkAll() }
    func testLstmNOAF() { CellChecker(cell: .lstmNOAF).checkAll() }
    func testLstmNP() { CellChecker(cell: .lstmNP).checkAll() }
    func testLstmCIFG() { CellChecker(cell: .lstmCIFG).checkAll() }
    func testLstmFGR() { CellChecker(cell: .lstmFGR).checkAll() }
    func testMinGRU() { CellChecker(cell: .minGRU).checkAll() }
    func testMinLSTM() { CellChecker(cell: .minLSTM).checkAll() }
}
