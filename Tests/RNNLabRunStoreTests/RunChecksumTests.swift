import Foundation
@testable import RNNLabRunStore
import XCTest

/// The stored checksum catches what libhdf5 does not: altered raw values.
final class RunChecksumTests: XCTestCase {
    func testAFlippedWeightByteIsAChecksumMismatchAndTheStoreMovesTheFileAside() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-checksum-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        var written = try RunFileLayoutPinTests.fixedRunFile()
        written.status = .complete
        let store = RunStore(results: directory)
        let path = store.path("x", written.runID)
        try written.write(to: path)
        XCTAssertNoThrow(try RunFile.read(from: path))

        // Find the final weights of the first tensor in the file and flip one bit of it.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let weight = try XCTUnwrap(written.finalWeights.first { $0.name == "rnn.weight_hh_l0" })
        let pattern = weight.values.withUnsafeBytes { Data($0) }
        let range = try XCTUnwrap(bytes.range(of: pattern), "the raw float32 values are in the file")
        bytes[range.lowerBound + 5] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunFile.read(from: path)) { error in
            XCTAssertTrue(error is RunFileChecksumMismatch, "\(error)")
            XCTAssertTrue("\(error)".contains(path))
        }
        // The store names it corrupt; moving it aside keeps its bytes under a new name.
        let state = store.state("x", runID: written.runID, configuration: written.configuration)
        guard case .corrupt(let reason) = state else { return XCTFail("not corrupt: \(state)") }
        XCTAssertTrue(reason.contains("checksum mismatch"), reason)
        let aside = try store.moveAside(path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: aside)), bytes)
        let second = try { () throws -> String in
            try bytes.write(to: URL(fileURLWithPath: path))
            return try store.moveAside(path)
        }()
        XCTAssertNotEqual(aside, second, "a second file moved aside in the same second does not replace the first")
    }

    func testNamesThatLeaveTheResultsDirectoryAreRejected() {
        for name in ["../x", "/tmp/x", "a/b", "..", ".", ".hidden", "", "a\\b", "x/../../y"] {
            XCTAssertFalse(RunStore.isSafeComponent(name), name)
        }
        for name in ["adding-cells", "a1285bfcc3d7d7b7", "music_cells.v2"] {
            XCTAssertTrue(RunStore.isSafeComponent(name), name)
        }
    }

    func testAZombieHoldsNoLock() throws {
        XCTAssertTrue(ProcessLiveness.isAlive(getpid()))
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&pid, "/bin/true", nil, nil, arguments, environ), 0)
        // Not waited for, the child stays a zombie: kill(pid, 0) succeeds, yet it holds nothing.
        var state = ""
        for _ in 0..<400 where state != "Z" {
            usleep(5000)
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            state = stat.split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? ""
        }
        XCTAssertEqual(state, "Z")
        XCTAssertEqual(kill(pid, 0), 0)
        XCTAssertFalse(ProcessLiveness.isAlive(pid))
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertFalse(ProcessLiveness.isAlive(pid))
    }
}
