import Foundation
import RNNLabData
import XCTest

final class ChecksumAndRegistryTests: XCTestCase {
    func testSHA256Vectors() {
        XCTAssertEqual(SHA256.hex(of: Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: Data(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Incremental updates of odd sizes give the same digest.
        var hasher = SHA256.Hasher()
        let message = Data((0..<1000).map { UInt8($0 % 251) })
        for start in stride(from: 0, to: 1000, by: 37) {
            message[start..<min(start + 37, 1000)].withUnsafeBytes { hasher.update($0) }
        }
        XCTAssertEqual(hasher.hexDigest(), SHA256.hex(of: message))
    }

    func testRegistryNamesAndSuggestions() {
        XCTAssertEqual(DataRegistry.names, ["tinyshakespeare", "timemachine", "ptb", "jsb_chorales", "nottingham", "mr", "sst2",
                                            "sunspots", "airline_passengers", "daily_min_temperatures", "fashion_mnist"])
        XCTAssertThrowsError(try DataRegistry.descriptor(named: "jsb_chorals")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'jsb_chorales'"), "\(error)")
        }
    }

    func testEveryRegisteredChecksumMatchesTheMirror() throws {
        let mirror = try dataMirror()
        for dataSet in DataRegistry.all {
            for file in dataSet.files {
                // Files a system package installs (Fashion-MNIST, `make deps`) are checked where that package puts them.
                var path = mirror.appendingPathComponent(file.relativePath).path
                if let system = file.systemPath, !FileManager.default.fileExists(atPath: path) { path = system }
                let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
                XCTAssertEqual(size?.intValue, file.bytes, file.relativePath)
                XCTAssertEqual(try SHA256.hex(ofFileAt: path), file.sha256, file.relativePath)
            }
        }
    }

    func testFillFromMirrorDetectCorruptionAndExplainAbsence() throws {
        let mirror = try dataMirror()
        let root = try temporaryDirectory(self)
        let directory = DataDirectory(explicit: root.path, environment: ["RNNLAB_DATA_MIRROR": mirror.path], workingDirectory: root)
        let airline = try DataRegistry.descriptor(named: "airline_passengers")
        XCTAssertEqual(directory.verify(airline).map(\.status), [.missing])
        let urls = try directory.ensure(airline)
        XCTAssertEqual(urls, [root.appendingPathComponent("airline_passengers/airline-passengers.csv")])
        XCTAssertEqual(directory.verify(airline).map(\.status), [.ok])
        // Corrupt it: detected, and refilled from the mirror.
        try Data("garbage".utf8).write(to: urls[0])
        guard case .corrupt = directory.verify(airline)[0].status else { return XCTFail("corruption not detected") }
        _ = try directory.ensure(airline)
        XCTAssertEqual(try SHA256.hex(ofFileAt: urls[0].path), airline.files[0].sha256)
        // No mirror, no network: one clear error naming the file, the places looked at and the remedy.
        let empty = try temporaryDirectory(self)
        let bare = DataDirectory(explicit: empty.path, environment: [:], workingDirectory: empty)
        XCTAssertThrowsError(try bare.ensure(try DataRegistry.descriptor(named: "sst2"))) { error in
            let text = "\(error)"
            for expected in ["sst2/train.tsv", empty.path, "RNNLAB_DATA_MIRROR is not set", "cd45f1cdd4adcd66", "not downloadable"] {
                XCTAssertTrue(text.contains(expected), "error lacks \(expected): \(text)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: empty.appendingPathComponent("sst2/train.tsv").path))
    }

    func testResolutionOrder() {
        let cwd = URL(fileURLWithPath: "/work/project")
        XCTAssertEqual(DataDirectory(explicit: "/x", environment: ["RNNLAB_DATA": "/y"], workingDirectory: cwd).root.path, "/x")
        XCTAssertEqual(DataDirectory(environment: ["RNNLAB_DATA": "/y"], workingDirectory: cwd).root.path, "/y")
        XCTAssertEqual(DataDirectory(environment: [:], workingDirectory: cwd).root.path, "/work/project/data")
        XCTAssertNil(DataDirectory(environment: [:], workingDirectory: cwd).mirror)
    }
}
