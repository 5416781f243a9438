import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore
import RNNLabTasks
import XCTest

/// Data files of a user's own in experiment files: checksums in run ids, and one clear error per bad file.
final class UserDataFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-userdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func write(_ name: String, _ bytes: Data) throws { try bytes.write(to: folder.appendingPathComponent(name)) }
    private func write(_ name: String, _ text: String) throws { try write(name, Data(text.utf8)) }

    /// An experiment file in the test's folder with `task` as its task section; returns its path.
    private func experiment(task: String, batchSize: Int = 4) throws -> String {
        let path = folder.appendingPathComponent("mine.yaml").path
        try """
            name: mine
            task: \(task)
            model: {cell: gru, hidden_size: 8}
            training: {epochs: 1, batch_size: \(batchSize), optimizer: {kind: adam}}
            seeds: 2
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func loadError(_ path: String) -> String {
        do { _ = try Experiment.load(path: path); return "no error" } catch { return "\(error)" }
    }

    private static let corpus = String(repeating: "the quick brown fox jumps over the lazy dog\n", count: 60)

    func testAUserTextFileIsNamedByItsChecksumAndAChangedFileChangesTheRunIDs() throws {
        try write("corpus.txt", Self.corpus)
        let path = try experiment(task: "{kind: language_model, data: {path: corpus.txt, lowercase: true}, steps: 10}")
        let runs = try Experiment.load(path: path).plan()
        let file = try XCTUnwrap(runs[0].configuration.task.dataFile)
        XCTAssertEqual(file.name, "corpus")
        XCTAssertEqual(file.sha256, SHA256.hex(of: Data(Self.corpus.utf8)))
        XCTAssertEqual(file.format, .text(TextFileOptions(lowercase: true)))
        XCTAssertNil(runs[0].configuration.task.dataSet, "a user file is not a registered data set")
        XCTAssertTrue(try runs[0].configuration.canonicalJSON().contains("\"sha256\":\"\(file.sha256)\""))
        // The same bytes elsewhere: the same run ids; other bytes: new ones.
        try FileManager.default.moveItem(at: folder.appendingPathComponent("corpus.txt"), to: folder.appendingPathComponent("moved.txt"))
        let movedPath = try experiment(task: "{kind: language_model, data: {path: moved.txt, name: corpus, lowercase: true}, steps: 10}")
        XCTAssertEqual(try Experiment.load(path: movedPath).plan().map(\.runID), runs.map(\.runID))
        try write("moved.txt", Self.corpus + "one more line\n")
        let changed = try Experiment.load(path: movedPath).plan()
        XCTAssertEqual(changed.count, runs.count)
        XCTAssertTrue(Set(changed.map(\.runID)).isDisjoint(with: runs.map(\.runID)))
    }

    func testRegisteredDataSetsEncodeAsBeforeSoTheirRunIDsStay() throws {
        let text = "name: x\ntask: {kind: music, data: jsb_chorales}\nmodel: {cell: gru, hidden_size: 8}\ntraining: {epochs: 1, optimizer: {kind: adam}}\n"
        let run = try XCTUnwrap(try Experiment.parse(text, file: "x.yaml").plan().first)
        let json = try run.configuration.canonicalJSON()
        XCTAssertTrue(json.hasPrefix("{\"batchSize\":"), json)
        XCTAssertTrue(json.contains("\"task\":{\"music\":{\"dataSet\":\"jsb_chorales\"}}"), json)
        XCTAssertFalse(json.contains("\"file\""))
    }

    func testADeclaredChecksumIsCheckedBeforeAnythingRuns() throws {
        try write("corpus.txt", Self.corpus)
        let path = try experiment(task: "{kind: language_model, data: {path: corpus.txt, sha256: \(String(repeating: "0", count: 64))}, steps: 10}")
        let message = loadError(path)
        XCTAssertTrue(message.contains("mine.yaml:2:"), message)
        XCTAssertTrue(message.contains("task.data.sha256: \(folder.path)/corpus.txt has sha256 \(SHA256.hex(of: Data(Self.corpus.utf8)))"), message)
        XCTAssertTrue(message.contains("the file has changed"), message)
        // With the checksum declared, a missing file still plans the same runs (reports and status need no data).
        let sha = SHA256.hex(of: Data(Self.corpus.utf8))
        let pinned = try experiment(task: "{kind: language_model, data: {path: corpus.txt, sha256: \(sha)}, steps: 10}")
        let runs = try Experiment.load(path: pinned).plan()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("corpus.txt"))
        XCTAssertEqual(try Experiment.load(path: pinned).plan().map(\.runID), runs.map(\.runID))
        let unpinned = loadError(try experiment(task: "{kind: language_model, data: {path: corpus.txt}, steps: 10}"))
        XCTAssertTrue(unpinned.contains("task.data.path: no such file: \(folder.path)/corpus.txt"), unpinned)
    }

    func testTextThatIsNotUTF8IsReportedAtItsLineAndColumn() throws {
        var bytes = Data("first line\nab".utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Data(("cd\n" + Self.corpus).utf8))
        try write("latin.txt", bytes)
        let message = loadError(try experiment(task: "{kind: language_model, data: {path: latin.txt}, steps: 2}"))
        XCTAssertTrue(message.contains("task.data: \(folder.path)/latin.txt:2:3: not valid UTF-8 (byte 0xFF at offset 13)"), message)
        // With the encoding given, it reads.
        XCTAssertEqual(loadError(try experiment(task: "{kind: language_model, data: {path: latin.txt, encoding: latin-1}, steps: 2}", batchSize: 1)),
                       "no error")
    }

    func testPianoRollsWithTheWrongSchemaOrPitchesOutsideThePianoAreReportedByKey() throws {
        try write("schema.json", #"{"splits": {"train": [[[60]]], "valid": [[[60]]]}}"#)
        let missing = loadError(try experiment(task: "{kind: music, data: {path: schema.json}}"))
        XCTAssertTrue(missing.contains("\(folder.path)/schema.json: splits.test: missing split 'test'"), missing)
        try write("shape.json", #"{"splits": {"train": [[60, 62]], "valid": [[[60]]], "test": [[[60]]]}}"#)
        let shape = loadError(try experiment(task: "{kind: music, data: {path: shape.json}}"))
        XCTAssertTrue(shape.contains("shape.json: splits.train[0][0]: expected a list of pitches"), shape)
        try write("pitch.json", #"{"splits": {"train": [[[60], [64, 120]]], "valid": [[[60]]], "test": [[[60]]]}}"#)
        let pitch = loadError(try experiment(task: "{kind: music, data: {path: pitch.json}}"))
        XCTAssertTrue(pitch.contains("pitch.json: splits.train[0][1]: pitch 120 is not an integer in 21…108"), pitch)
    }

    func testALabelColumnMissingIsReportedWithTheHeader() throws {
        try write("reviews.tsv", "review\tstars\ngood film\t1\nbad film\t0\n")
        let message = loadError(try experiment(task: "{kind: sentiment, data: {path: reviews.tsv, text_column: review}}"))
        XCTAssertTrue(message.contains("\(folder.path)/reviews.tsv:1: column 'label': no such column (the header has review, stars)"), message)
    }

    func testTooFewTokensForOneBatchNameTheNumbers() throws {
        try write("tiny.txt", String(repeating: "abcdefghij", count: 20))   // 200 characters: 180 / 10 / 10
        let message = loadError(try experiment(task: "{kind: language_model, data: {path: tiny.txt}, steps: 8}", batchSize: 32))
        XCTAssertTrue(message.contains("task.data: too few tokens for one batch: the training split of tiny has 180 characters, "
                                       + "fewer than batch_size × steps + steps = 32 × 8 + 8 = 264"), message)
        let held = loadError(try experiment(task: "{kind: language_model, data: {path: tiny.txt}, steps: 12}", batchSize: 2))
        XCTAssertTrue(held.contains("the validation split of tiny has 10 characters, fewer than steps + 1 = 13"), held)
    }

    func testOneFilePerClassIsNamedByTheClassesChecksums() throws {
        try write("neg.txt", String(repeating: "dull film\npoor plot\n", count: 10))
        try write("pos.txt", String(repeating: "fine film\ngreat plot\n", count: 10))
        let path = try experiment(task: "{kind: sentiment, data: {classes: {negative: neg.txt, positive: pos.txt}, splits: [0.6, 0.2, 0.2]}}")
        let file = try XCTUnwrap(try Experiment.load(path: path).plan()[0].configuration.task.dataFile)
        let classes = [ClassFile(label: "negative", sha256: try DataDirectory.checksum(of: folder.appendingPathComponent("neg.txt"))),
                       ClassFile(label: "positive", sha256: try DataDirectory.checksum(of: folder.appendingPathComponent("pos.txt")))]
        XCTAssertEqual(file.format, .classFiles(classes: classes, splits: SplitFractions(training: 0.6, validation: 0.2, test: 0.2)))
        XCTAssertEqual(file.sha256, DataFileReference.checksum(ofClasses: classes))
        XCTAssertEqual(file.name, "negative-positive")
        let one = loadError(try experiment(task: "{kind: sentiment, data: {classes: {negative: neg.txt}}}"))
        XCTAssertTrue(one.contains("task.data.classes: expected a mapping of two or more labels to files"), one)
    }

    func testCRC32CAndTheTFRecordMask() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        let crc = CRC32C.checksum(Array("123456789".utf8))
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    }
}
