import Foundation
import RNNLabRunStore
import XCTest

/// A user's own files, one per task family, through `rnnlab data add`, `validate`, `run`, the report, `eval`,
/// `sample` and `train --data-file`: what a student with a corpus, a researcher with piano rolls, a TSV of
/// reviews or a CSV of sensor readings does.
final class OwnDataEndToEndTests: XCTestCase {
    var cli: CLI!
    var work: URL { cli.workDirectory }

    func write(_ path: String, _ text: String) throws {
        let url = work.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    override func setUpWithError() throws {
        cli = try CLI(for: self)
        // A corpus of simple sentences.
        let words = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far", "away", "home"]
        var seed: UInt64 = 12345
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        try write("mydata/corpus.txt", (0..<150).map { _ in (0..<8).map { _ in words[next(words.count)] }.joined(separator: " ") }.joined(separator: "\n") + "\n")
        // Piano rolls: arpeggios of random chords.
        func sequence() -> String {
            let root = 48 + next(12)
            return "[" + (0..<12).map { t in t % 4 == 3 ? "[]" : "[\(root + [0, 4, 7][t % 3]), \(root + 12)]" }.joined(separator: ", ") + "]"
        }
        func split(_ count: Int) -> String { "[" + (0..<count).map { _ in sequence() }.joined(separator: ", ") + "]" }
        try write("mydata/muse.json", "{\"splits\": {\"train\": \(split(8)), \"valid\": \(split(2)), \"test\": \(split(2))}}")
        // Reviews, labelled by their words.
        let good = ["great", "fine", "lovely", "superb"], bad = ["awful", "dull", "poor", "boring"]
        try write("mydata/reviews.tsv", "stars\treview\n" + (0..<80).map { i in
            let positive = i % 2 == 0
            return "\(positive ? "pos" : "neg")\tthe film was \((positive ? good : bad)[next(4)]) and \((positive ? good : bad)[next(4)])"
        }.joined(separator: "\n") + "\n")
        // Sensor readings: a daily cycle.
        try write("mydata/sensor.csv", "time,temp,humidity\n" + (0..<240).map { i in
            "\(i),\(String(format: "%.3f", 20 + 5 * sin(Double(i) * 2 * .pi / 24) + Double(next(100)) / 100)),\(50 + next(10))"
        }.joined(separator: "\n") + "\n")
        let training = "training: {epochs: 2, batch_size: 4, optimizer: {kind: adam, learning_rate: 0.01}}\nseeds: 2\n"
        try write("experiments/own-text.yaml", """
            name: own-text
            task: {kind: language_model, data: {path: ../mydata/corpus.txt, splits: [0.8, 0.1, 0.1]}, steps: 16}
            model: {cell: gru, hidden_size: 16}
            \(training)report: {metric: perplexity}
            """)
        try write("experiments/own-music.yaml", """
            name: own-music
            task: {kind: music, data: {path: ../mydata/muse.json}}
            model: {cell: lstm, hidden_size: 16}
            \(training.replacingOccurrences(of: "epochs: 2", with: "epochs: 30").replacingOccurrences(of: "0.01", with: "0.05"))report: {metric: nll, columns: [frame_accuracy]}
            """)
        try write("experiments/own-reviews.yaml", """
            name: own-reviews
            task: {kind: sentiment, data: reviews, embedding: 8}
            model: {cell: gru, hidden_size: 8}
            \(training)report: {metric: accuracy}
            """)
        try write("experiments/own-sensor.yaml", """
            name: own-sensor
            task: {kind: forecasting, data: {path: ../mydata/sensor.csv, value_column: temp, date_column: time}, window: 12}
            model: {cell: gru, hidden_size: 8}
            \(training)report: {metric: mse}
            """)
    }

    func testAnExperimentOnEachKindOfOwnFileRunsAndReports() throws {
        let added = try cli(["data", "add", "reviews", "mydata/reviews.tsv", "--format", "tsv", "--text-column", "review",
                             "--label-column", "stars", "--splits", "0.7,0.15,0.15", "--progress"])
        XCTAssertEqual(added.status, 0, added.output)
        XCTAssertTrue(added.output.contains("MB · hashing mydata/reviews.tsv · ETA"), added.output)
        let registry = try String(contentsOf: work.appendingPathComponent("rnnlab-data.yaml"), encoding: .utf8)
        XCTAssertTrue(registry.contains("reviews:\n  path: mydata/reviews.tsv\n  format: tsv\n  sha256: "), registry)
        XCTAssertTrue(registry.contains("  splits: [0.7, 0.15, 0.15]\n  text_column: review\n  label_column: stars\n"), registry)
        let listed = try cli(["data", "list"])
        XCTAssertTrue(listed.output.contains("tinyshakespeare") && listed.output.range(of: "reviews +ok .* tsv file mydata/reviews.tsv",
                                                                                          options: .regularExpression) != nil, listed.output)
        let names = ["own-text", "own-music", "own-reviews", "own-sensor"]
        let validated = try cli(["validate"] + names.map { "experiments/\($0).yaml" })
        XCTAssertEqual(validated.status, 0, validated.output)
        let run = try cli(["run", "--all", "--jobs", "2"])
        XCTAssertEqual(run.status, 0, run.output)
        for name in names {
            let report = try String(contentsOf: work.appendingPathComponent("results/\(name)/REPORT.md"), encoding: .utf8)
            XCTAssertTrue(report.contains("| 2/2 |"), "\(name): \(report)")
            XCTAssertTrue(report.contains("trivial baseline"), report)
            let status = try cli(["status", name])
            XCTAssertTrue(status.output.contains("2 runs — 2 complete"), status.output)
        }
        // Verify recomputes a run on a user file, with progress.
        let verified = try cli(["verify", "own-sensor", "--epochs", "1", "--progress"])
        XCTAssertEqual(verified.status, 0, verified.output)
        XCTAssertTrue(verified.output.contains("1/1 runs · ") && verified.output.contains("epoch 1/1 · ETA"), verified.output)
        XCTAssertTrue(verified.output.contains("verify: 1 identical to their records"), verified.output)
        // The run records name the file by checksum and format; the report names the data set.
        let record = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("results/own-music/runs").path)
            .first { $0.hasSuffix(".json") })
        let json = try String(contentsOf: work.appendingPathComponent("results/own-music/runs/\(record)"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"music\":{\"dataSet\":\"muse\",\"file\":{\"format\":{\"pianoRoll\":{}},\"name\":\"muse\",\"sha256\":\""), json)

        // Evaluation and generation work as for registered data sets (the tokenizer stays in the run).
        func runFile(_ name: String) throws -> String {
            let runs = work.appendingPathComponent("results/\(name)/runs")
            return runs.appendingPathComponent(try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path)
                .sorted().first { $0.hasSuffix(".h5") })).path
        }
        let sample = try cli(["sample", try runFile("own-text"), "--prime", "the cat", "--length", "30"])
        XCTAssertEqual(sample.status, 0, sample.output)
        XCTAssertTrue(sample.output.hasPrefix("the cat"), sample.output)
        let midi = try cli(["sample", try runFile("own-music"), "--length", "16", "--output", "own.mid"])
        XCTAssertEqual(midi.status, 0, midi.output)
        XCTAssertEqual(try Data(contentsOf: work.appendingPathComponent("own.mid")).prefix(4), Data("MThd".utf8))
        try write("more.tsv", "sentence\tlabel\nthe film was great and lovely\tpos\nthe film was dull and poor\tneg\n")
        let evaluated = try cli(["eval", try runFile("own-reviews"), "--data", "more.tsv"])
        XCTAssertEqual(evaluated.status, 0, evaluated.output)
        XCTAssertTrue(evaluated.output.contains("\"accuracy\""), evaluated.output)
        let forecast = try cli(["eval", try runFile("own-sensor"), "--data", "mydata/sensor.csv", "--column", "temp"])
        XCTAssertEqual(forecast.status, 0, forecast.output)
        XCTAssertTrue(forecast.output.contains("\"mse\""), forecast.output)

        // rnnlab train --data-file gives the experiment's run id for the same settings.
        let trained = try cli(["train", "--task", "language_model", "--data-file", "mydata/corpus.txt", "--data-option", "splits=x",
                               "--cell", "gru", "--hidden", "16", "--epochs", "1"])
        XCTAssertNotEqual(trained.status, 0)
        XCTAssertTrue(trained.output.contains("--data-option splits: expected three fractions"), trained.output)
        let adhoc = try cli(["train", "--task", "forecasting", "--data-file", "mydata/sensor.csv", "--data-option", "value_column=humidity",
                             "--steps", "12", "--cell", "gru", "--hidden", "8", "--epochs", "1", "--batch-size", "4",
                             "--tensorboard", "tb"])
        XCTAssertEqual(adhoc.status, 0, adhoc.output)
        XCTAssertTrue(adhoc.output.contains("complete: results/adhoc/runs/"), adhoc.output)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("tb/adhoc_seed1").path).isEmpty)
    }

    func testAChangedFileGivesNewRunIDsAndADeclaredChecksumStopsTheRun() throws {
        let before = try cli(["status", "own-sensor"])
        XCTAssertEqual(before.status, 0, before.output)
        try write("mydata/sensor.csv", try String(contentsOf: work.appendingPathComponent("mydata/sensor.csv"), encoding: .utf8) + "240,21.5,55\n")
        let after = try cli(["status", "own-sensor"])
        let ids = { (text: String) in Set(text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.count == 16 }) }
        XCTAssertEqual(ids(before.output).count, 2, before.output)
        XCTAssertTrue(ids(before.output).isDisjoint(with: ids(after.output)), "\(before.output)\n\(after.output)")
        // A registered file that changed after `data add` is an error before anything runs.
        XCTAssertEqual(try cli(["data", "add", "reviews", "mydata/reviews.tsv", "--format", "tsv", "--text-column", "review",
                                "--label-column", "stars"]).status, 0)
        try write("mydata/reviews.tsv", "stars\treview\npos\tfine\n")
        let run = try cli(["run", "own-reviews"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("rnnlab-data.yaml:6:11: reviews.sha256: "), run.output)
        XCTAssertTrue(run.output.contains("the file has changed"), run.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("results/own-reviews").path), "nothing ran")
        // Without the file, its registered checksum still plans the runs (status needs no data); running stops first.
        try FileManager.default.removeItem(at: work.appendingPathComponent("mydata/reviews.tsv"))
        let status = try cli(["status", "own-reviews"])
        XCTAssertTrue(status.output.contains("own-reviews: 2 runs — 2 missing"), status.output)
        let missing = try cli(["run", "own-reviews"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.output.contains("the data file 'reviews' (sha256 ") && missing.output.contains(") was not found"), missing.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("results/own-reviews/runs").path), "nothing ran")
    }
}
