import Foundation
import RNNLabData
import XCTest

final class RealFileLoaderTests: XCTestCase {
    func testCorpora() throws {
        let mirror = try dataMirror()
        let shakespeare = try TextCorpus.load(contentsOf: mirror.appendingPathComponent("tinyshakespeare/input.txt"))
        XCTAssertEqual(shakespeare.count, 1_115_394)
        XCTAssertEqual(CharacterVocabulary(text: shakespeare).size, 65)
        let train = try TextCorpus.load(contentsOf: mirror.appendingPathComponent("ptb/ptb.train.txt"))
        let vocabulary = WordVocabulary(text: train, endOfSentence: true)
        XCTAssertEqual(vocabulary.size, 10_000)
        XCTAssertEqual(try vocabulary.encode(train).count, 929_589)
        let valid = try TextCorpus.load(contentsOf: mirror.appendingPathComponent("ptb/ptb.valid.txt"))
        XCTAssertEqual(try vocabulary.encode(valid).count, 73_760)
    }

    func testPianoRolls() throws {
        let mirror = try dataMirror()
        let jsb = try PianoRollDataSet.load(contentsOf: mirror.appendingPathComponent("jsb_chorales/jsb_chorales.json"))
        XCTAssertEqual(["train", "valid", "test"].map { jsb.splits[$0]!.count }, [229, 76, 77])
        XCTAssertEqual(["train", "valid", "test"].map { jsb.splits[$0]!.reduce(0) { $0 + $1.count } }, [13_807, 4_602, 4_725])
        let nottingham = try PianoRollDataSet.load(contentsOf: mirror.appendingPathComponent("nottingham/nottingham.json"))
        XCTAssertEqual(["train", "valid", "test"].map { nottingham.splits[$0]!.count }, [694, 173, 170])
    }

    func testLabelledText() throws {
        let mirror = try dataMirror()
        let mr = try LabelledText.loadOneFilePerClass([("negative", mirror.appendingPathComponent("mr/rt-polarity.neg")),
                                                       ("positive", mirror.appendingPathComponent("mr/rt-polarity.pos"))])
        XCTAssertEqual(mr.labels.filter { $0 == 0 }.count, 5_331)
        XCTAssertEqual(mr.labels.filter { $0 == 1 }.count, 5_331)
        let counts = try ["train", "dev", "test"].map { try LabelledText.loadTSV(contentsOf: mirror.appendingPathComponent("sst2/\($0).tsv")).texts.count }
        XCTAssertEqual(counts, [6_920, 872, 1_821])
        let dev = try LabelledText.loadTSV(contentsOf: mirror.appendingPathComponent("sst2/dev.tsv"))
        XCTAssertEqual(dev.labelNames, ["0", "1"])
        XCTAssertEqual(dev.labels.filter { $0 == 1 }.count, 444)
    }

    func testTimeSeries() throws {
        let mirror = try dataMirror()
        let sunspots = try TimeSeries.load(contentsOf: mirror.appendingPathComponent("sunspots/monthly-sunspots.csv"), column: "Sunspots")
        XCTAssertEqual(sunspots.values.count, 2_820)
        XCTAssertEqual(sunspots.timestamps.first, "1749-01")
        XCTAssertEqual(sunspots.gaps, [])
        let airline = try TimeSeries.load(contentsOf: mirror.appendingPathComponent("airline_passengers/airline-passengers.csv"), column: "Passengers")
        XCTAssertEqual(airline.values.count, 144)
        XCTAssertEqual(airline.values.first, 112)
        let temperatures = try TimeSeries.load(contentsOf: mirror.appendingPathComponent("daily_min_temperatures/daily-min-temperatures.csv"), column: "Temp")
        XCTAssertEqual(temperatures.values.count, 3_650)
        XCTAssertEqual(temperatures.gaps, ["1984-12-31", "1988-12-31"])
    }
}

final class GeneratedFileLoaderTests: XCTestCase {
    func write(_ text: String, _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func testTextCorpusToleratesCRLFAndRejectsBadUTF8() throws {
        let directory = try temporaryDirectory(self)
        XCTAssertEqual(try TextCorpus.load(contentsOf: write("a\r\nb\rc", "crlf.txt", in: directory)), "a\nb\nc")
        let bad = directory.appendingPathComponent("bad.txt")
        try Data([0x61, 0x0A, 0x62, 0xFF, 0x63]).write(to: bad)
        XCTAssertThrowsError(try TextCorpus.load(contentsOf: bad)) { error in
            XCTAssertTrue("\(error)".contains("bad.txt:2"), "\(error)")
            XCTAssertTrue("\(error)".contains("offset 3"), "\(error)")
        }
    }

    func testCSVQuotingLineEndsAndErrors() throws {
        let directory = try temporaryDirectory(self)
        let ok = try write("\"Date\",\"Value\",\"Note\"\r\n\"2001-01-30\",1.5,\"a, b\"\r\n\"2001-02-02\",-2,\"say \"\"hi\"\"\"", "ok.csv", in: directory)
        let series = try TimeSeries.load(contentsOf: ok, column: "Value")
        XCTAssertEqual(series.values, [1.5, -2])
        XCTAssertEqual(series.timestamps, ["2001-01-30", "2001-02-02"])
        XCTAssertEqual(series.gaps, ["2001-01-31", "2001-02-01"])
        let bad = try write("Month,Value\n1990-01,3\n1990-02,?\n", "bad.csv", in: directory)
        XCTAssertThrowsError(try TimeSeries.load(contentsOf: bad, column: "Value")) { error in
            XCTAssertEqual("\(error)", "\(bad.path):3: column 'Value': '?' is not a number")
        }
        XCTAssertThrowsError(try TimeSeries.load(contentsOf: bad, column: "Valeu")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'Value'"), "\(error)")
        }
        let monthly = try write("Month,Value\n1990-11,1\n1991-02,2", "gap.csv", in: directory)
        XCTAssertEqual(try TimeSeries.load(contentsOf: monthly, column: "Value").gaps, ["1990-12", "1991-01"])
    }

    func testTSVAndOneFilePerClass() throws {
        let directory = try temporaryDirectory(self)
        let tsv = try write("label\tsentence\r\n1\tgood film\r\n\r\n0\tbad film\r\n", "data.tsv", in: directory)
        let data = try LabelledText.loadTSV(contentsOf: tsv)
        XCTAssertEqual(data.texts, ["good film", "bad film"])
        XCTAssertEqual(data.labels, [1, 0])
        let missing = try write("text\tscore\nx\t1\n", "missing.tsv", in: directory)
        XCTAssertThrowsError(try LabelledText.loadTSV(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains("missing.tsv:1: column 'sentence'"), "\(error)")
        }
        let ragged = try write("sentence\tlabel\nfine\t1\nbroken line\n", "ragged.tsv", in: directory)
        XCTAssertThrowsError(try LabelledText.loadTSV(contentsOf: ragged)) { error in
            XCTAssertTrue("\(error)".contains("ragged.tsv:3"), "\(error)")
        }
        let classes = try LabelledText.loadOneFilePerClass([("neg", write("awful\n\nbad \n", "neg", in: directory)),
                                                            ("pos", write("great", "pos", in: directory))])
        XCTAssertEqual(classes.texts, ["awful", "bad ", "great"])
        XCTAssertEqual(classes.labels, [0, 0, 1])
    }

    func testPianoRollValidation() throws {
        let directory = try temporaryDirectory(self)
        let ok = try write(#"{"splits": {"train": [[[64, 60], []]], "valid": [[[21]]], "test": [[[108]]]}}"#, "ok.json", in: directory)
        let rolls = try PianoRollDataSet.load(contentsOf: ok)
        XCTAssertEqual(rolls.splits["train"], [[[60, 64], []]], "steps are sorted")
        XCTAssertEqual(PianoRollDataSet.frame([21, 108]).enumerated().filter { $0.element == 1 }.map(\.offset), [0, 87])
        let bad = try write(#"{"splits": {"train": [[[60], [20]]], "valid": [], "test": []}}"#, "bad.json", in: directory)
        XCTAssertThrowsError(try PianoRollDataSet.load(contentsOf: bad)) { error in
            XCTAssertTrue("\(error)".contains("splits.train[0][1]"), "\(error)")
            XCTAssertTrue("\(error)".contains("20"), "\(error)")
        }
        let missing = try write(#"{"splits": {"train": []}}"#, "missing.json", in: directory)
        XCTAssertThrowsError(try PianoRollDataSet.load(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains("missing split"), "\(error)")
        }
    }
}

final class TokenizerTests: XCTestCase {
    func testCharacterVocabulary() throws {
        let vocabulary = CharacterVocabulary(text: "hello, world\n")
        XCTAssertEqual(vocabulary.symbols, ["\n", " ", ",", "d", "e", "h", "l", "o", "r", "w"])
        let ids = try vocabulary.encode("hold")
        XCTAssertEqual(vocabulary.decode(ids), "hold")
        XCTAssertThrowsError(try vocabulary.encode("hi"))
        let restored = try JSONDecoder().decode(CharacterVocabulary.self, from: JSONEncoder().encode(vocabulary))
        XCTAssertEqual(try restored.encode("world"), try vocabulary.encode("world"))
    }

    func testWordVocabularyCapsAndEndOfSentence() throws {
        let text = "the cat sat\nthe dog sat\nthe end\n"
        let full = WordVocabulary(text: text, endOfSentence: true)
        // Frequencies: the 3, <eos> 3, sat 2, then cat, dog, end (first occurrence); <unk> added first.
        XCTAssertEqual(full.words, ["<unk>", "the", "<eos>", "sat", "cat", "dog", "end"])
        let capped = WordVocabulary(text: text, endOfSentence: true, maxSize: 4)
        XCTAssertEqual(capped.words, ["<unk>", "the", "<eos>", "sat"])
        XCTAssertEqual(try capped.encode("the cat sat\n"), [1, 0, 3, 2])
        XCTAssertEqual(capped.decode([1, 0, 3, 2, 1]), "the <unk> sat\nthe")
    }

    func testBytePairEncodingRoundTripAndDeterminism() throws {
        let text = String(repeating: "low lower lowest newer newest wider ", count: 20) + "naïve café — 東京 🙂\n"
        let a = BytePairEncoding(training: text, merges: 40)
        let b = BytePairEncoding(training: text, merges: 40)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.size, 256 + a.merges.count)
        XCTAssertGreaterThan(a.merges.count, 10)
        let sample = "lowest newer naïve 東京 🙂 unseen words\twith tabs\r\n"
        let ids = try a.encode(sample)
        XCTAssertEqual(a.decode(ids), sample)
        XCTAssertLessThan(ids.count, sample.utf8.count, "merges shorten the encoding")
        XCTAssertLessThan(try a.encode(" lowest").count, 3)
        let restored = try JSONDecoder().decode(BytePairEncoding.self, from: JSONEncoder().encode(a))
        XCTAssertEqual(try restored.encode(sample), ids)
    }
}

final class MIDIWriterTests: XCTestCase {
    func testHeaderTrackAndMatchingNoteEvents() {
        let roll = [[60, 64], [60, 64], [67], [], [60]]
        let data = [UInt8](MIDIWriter.data(pianoRoll: roll, ticksPerStep: 240))
        XCTAssertEqual(Array(data[0..<4]), Array("MThd".utf8))
        XCTAssertEqual(Array(data[4..<8]), [0, 0, 0, 6])
        XCTAssertEqual(Array(data[8..<14]), [0, 0, 0, 1, 0x01, 0xE0], "format 0, one track, 480 ticks per quarter")
        XCTAssertEqual(Array(data[14..<18]), Array("MTrk".utf8))
        let length = Int(data[18]) << 24 | Int(data[19]) << 16 | Int(data[20]) << 8 | Int(data[21])
        XCTAssertEqual(length, data.count - 22)
        // Walk the events.
        var i = 22, ons = 0, offs = 0, tick = 0, onTicks: [Int: Int] = [:], durations: [Int] = []
        while i < data.count {
            var delta = 0
            while data[i] & 0x80 != 0 { delta = (delta << 7) | Int(data[i] & 0x7F); i += 1 }
            delta = (delta << 7) | Int(data[i]); i += 1
            tick += delta
            switch data[i] {
            case 0xFF: i += 3 + Int(data[i + 2])
            case 0x90: ons += 1; onTicks[Int(data[i + 1])] = tick; i += 3
            case 0x80: offs += 1; durations.append(tick - (onTicks[Int(data[i + 1])] ?? -1)); i += 3
            default: return XCTFail("unexpected status byte \(data[i])")
            }
        }
        XCTAssertEqual(ons, 4, "a held note is one note")
        XCTAssertEqual(offs, 4)
        XCTAssertEqual(durations.sorted(), [240, 240, 480, 480])
    }
}
