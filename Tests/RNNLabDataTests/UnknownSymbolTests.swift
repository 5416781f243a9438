import Foundation
import RNNLabData
import XCTest

/// Symbols a run's tokenizer has no id for: errors that say where and what, or skipped or mapped and counted.
final class UnknownSymbolTests: XCTestCase {
    let characters = CharacterVocabulary(text: "the cat\nsat")

    func testAnUnseenCharacterIsAnErrorNamingTheFileTheLineAndTheCharacter() throws {
        XCTAssertThrowsError(try characters.encode("the cat\nsat 1\n", source: "data/novel.txt", unknown: .error)) { error in
            XCTAssertEqual("\(error)", "data/novel.txt:2: character '1' (U+0031) is not in the vocabulary")
        }
        XCTAssertThrowsError(try characters.encode("cat\tsat", source: "x.txt", unknown: .error)) { error in
            XCTAssertEqual("\(error)", "x.txt:1: character '\\t' (U+0009) is not in the vocabulary")
        }
        XCTAssertEqual(quotedSymbol("e\u{301}"), "'e\u{301}' (U+0065 U+0301)")
        XCTAssertEqual(quotedSymbol("😀"), "'😀' (U+1F600)")
        XCTAssertEqual(UnknownSymbolPolicy.default(for: characters), .error)
    }

    func testSkippingUnseenCharactersCountsThem() throws {
        let skipped = try characters.encode("a1t 2 1\ncat", source: "x.txt", unknown: .skip)
        XCTAssertEqual(skipped.ids, try characters.encode("at  \ncat"))
        XCTAssertEqual(skipped.unknownCount, 3)
        XCTAssertEqual(skipped.unknownSymbols, ["1", "2"])
        XCTAssertEqual(try characters.encode("sat", source: "x.txt", unknown: .skip), TokenizedText(ids: try characters.encode("sat")))
        XCTAssertThrowsError(try characters.encode("sat", source: "x.txt", unknown: .map)) { error in
            XCTAssertEqual(error as? TokenizationError, .noUnknownToken(tokenizer: "character vocabulary"))
        }
    }

    func testWordVocabulariesMapSkipOrRejectUnseenWords() throws {
        for endOfSentence in [false, true] {
            let words = WordVocabulary(text: "the cat sat\non the mat\n", endOfSentence: endOfSentence)
            XCTAssertEqual(UnknownSymbolPolicy.default(for: words), .map)
            let text = "the dog sat\n\n  on a  mat\nthe cat"
            let mapped = try words.encode(text, source: "w.txt", unknown: .map)
            XCTAssertEqual(mapped.ids, try words.encode(text), "map is what plain encoding does")
            XCTAssertEqual(mapped.unknownCount, 2)
            XCTAssertEqual(mapped.unknownSymbols, ["dog", "a"])
            let skipped = try words.encode(text, source: "w.txt", unknown: .skip)
            XCTAssertEqual(skipped.ids, try words.encode("the sat\non mat\nthe cat"))
            XCTAssertEqual(skipped.unknownCount, 2)
            XCTAssertThrowsError(try words.encode(text, source: "w.txt", unknown: .error)) { error in
                XCTAssertEqual("\(error)", "w.txt:1: word 'dog' is not in the vocabulary")
            }
            XCTAssertThrowsError(try words.encode("the cat\n\non a mat", source: "w.txt", unknown: .error)) { error in
                XCTAssertEqual("\(error)", "w.txt:3: word 'a' is not in the vocabulary")
            }
        }
    }

    func testBytePairsHaveNoUnknownSymbols() throws {
        let pairs = BytePairEncoding(training: "the cat sat on the mat", merges: 5)
        let text = "naïve 7 dogs"
        XCTAssertEqual(try pairs.encode(text, source: "b.txt", unknown: .error), TokenizedText(ids: try pairs.encode(text)))
        let stored = StoredTokenizer.characters(characters)
        XCTAssertEqual(try stored.encode("cat 1", source: "s.txt", unknown: .skip).unknownSymbols, ["1"])
    }
}
