import RNNLabReports
import XCTest

/// One escaping function per output format.
final class EscapingTests: XCTestCase {
    func testEachFormatEscapesItsSpecialCharacters() {
        XCTAssertEqual(Escaping.markdownText("the <unk> cat"), "the &lt;unk&gt; cat")
        XCTAssertEqual(Escaping.latex("a_b 5% R&D \\x"), "a\\_b 5\\% R\\&D \\textbackslash{}x")
        XCTAssertEqual(Escaping.csvField("say \"hi\", then go"), "\"say \"\"hi\"\", then go\"")
        XCTAssertEqual(Escaping.xml("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d")
    }

    func testLaTeXEscapesEveryCharacterItTreatsSpecially() {
        XCTAssertEqual(Escaping.latex("#$^{}~<>|"), "\\#\\$\\textasciicircum{}\\{\\}\\textasciitilde{}\\textless{}\\textgreater{}\\textbar{}")
        XCTAssertEqual(Escaping.latex("\\{x}"), "\\textbackslash{}\\{x\\}", "the braces of \\textbackslash{} are not escaped again")
        XCTAssertEqual(Escaping.latex("GRU, T = 10 – ±"), "GRU, T = 10 – ±")
    }

    func testPlainTextIsUnchangedExceptForCSVQuotes() {
        for text in ["lstm", "model.cell=gru, training.clipping.threshold=5"] {
            XCTAssertEqual(Escaping.markdownText(text), text)
            XCTAssertEqual(Escaping.latex(text), text)
            XCTAssertEqual(Escaping.xml(text), text)
            XCTAssertEqual(Escaping.csvField(text), "\"\(text)\"")
        }
    }
}
