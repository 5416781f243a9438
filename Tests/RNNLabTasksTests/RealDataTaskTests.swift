import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabTasks
import RNNLabTraining
import XCTest

/// Tasks built from the real data sets of the mirror.
final class RealDataTaskTests: XCTestCase {
    var data: DataDirectory!

    override func setUpWithError() throws {
        var mirror: URL?
        if let path = ProcessInfo.processInfo.environment["RNNLAB_DATA_MIRROR"], FileManager.default.fileExists(atPath: path) {
            mirror = URL(fileURLWithPath: path)
        } else {
            let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: beside.path) { mirror = beside }
        }
        guard let mirror else { throw XCTSkip("data mirror not found: real-data task checks skipped") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-tasks-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        data = DataDirectory(explicit: root.path, environment: ["RNNLAB_DATA_MIRROR": mirror.path], workingDirectory: root)
    }

    func testPerKeyFrequencyBaselinesMatchThePublishedOnes() throws {
        let jsb = try TaskCatalog.make(.music(dataSet: "jsb_chorales"), data: data)
        let nottingham = try TaskCatalog.make(.music(dataSet: "nottingham"), data: data)
        let jsbNLL = try XCTUnwrap(jsb.baseline(.test)["nll"]), nottinghamNLL = try XCTUnwrap(nottingham.baseline(.test)["nll"])
        // Published: about 11.1 and 10.3. The expected values were computed independently (Python, from the JSON).
        XCTAssertEqual(jsbNLL, 11.0904, accuracy: 0.005, "JSB test NLL per frame of the per-key frequencies")
        XCTAssertEqual(nottinghamNLL, 10.2609, accuracy: 0.005, "Nottingham test NLL per frame of the per-key frequencies")
    }

    func testLanguageModelCorpora() throws {
        let ptb = try XCTUnwrap(try TaskCatalog.make(.languageModel(dataSet: "ptb", tokenization: .words(), steps: 20, embedding: 200),
                                                     data: data) as? LanguageModelTask)
        XCTAssertEqual(ptb.vocabularySize, 10_000)
        XCTAssertEqual(ptb.training.count, 929_589)
        XCTAssertEqual(ptb.test.count, 82_430)
        // The unigram model of PTB has a test perplexity of several hundred.
        let unigram = try XCTUnwrap(ptb.baseline(.test)["perplexity"])
        XCTAssertTrue((500...900).contains(unigram), "PTB unigram perplexity \(unigram)")
        let shakespeare = try XCTUnwrap(try TaskCatalog.make(.languageModel(dataSet: "tinyshakespeare", tokenization: .characters, steps: 64),
                                                             data: data) as? LanguageModelTask)
        XCTAssertEqual(shakespeare.vocabularySize, 65)
        XCTAssertEqual(shakespeare.training.count + shakespeare.validation.count + shakespeare.test.count, 1_115_394)
        XCTAssertEqual(shakespeare.input, .oneHot(vocabulary: 65))
    }

    func testSentimentAndSeries() throws {
        let sst = try XCTUnwrap(try TaskCatalog.make(.sentiment(dataSet: "sst2", embedding: 32), data: data) as? SentimentTask)
        XCTAssertEqual([sst.training.count, sst.validation.count, sst.test.count], [6_920, 872, 1_821])
        XCTAssertEqual(sst.baseline(.test)["accuracy"]!, 909.0 / 1_821, accuracy: 1e-12, "majority class of training (positive: 909 of 1,821 test sentences)")
        let mr = try XCTUnwrap(try TaskCatalog.make(.sentiment(dataSet: "mr", embedding: 32), data: data) as? SentimentTask)
        XCTAssertEqual(mr.training.count + mr.validation.count + mr.test.count, 10_662)
        let again = try XCTUnwrap(try TaskCatalog.make(.sentiment(dataSet: "mr", embedding: 32), data: data) as? SentimentTask)
        XCTAssertEqual(mr.test, again.test, "the MR split is fixed")
        let sunspots = try XCTUnwrap(try TaskCatalog.make(.forecasting(series: "sunspots", window: 24), data: data) as? ForecastingTask)
        XCTAssertEqual(sunspots.series.count, 2_820)
        XCTAssertGreaterThan(sunspots.baseline(.test)["mae"]!, 0)
        XCTAssertThrowsError(try TaskCatalog.make(.music(dataSet: "bach"), data: data)) { error in
            XCTAssertTrue("\(error)".contains("unknown data set 'bach'"), "\(error)")
        }
    }
}
