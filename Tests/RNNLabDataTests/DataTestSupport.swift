import Foundation
import XCTest

/// The local data mirror: `RNNLAB_DATA_MIRROR`, else `../shared/data` beside the project.
func dataMirror() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["RNNLAB_DATA_MIRROR"], !path.isEmpty,
       FileManager.default.fileExists(atPath: path) {
        return URL(fileURLWithPath: path)
    }
    let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
    guard FileManager.default.fileExists(atPath: beside.path) else {
        throw XCTSkip("data mirror not found (RNNLAB_DATA_MIRROR unset and no \(beside.path)): real-file checks skipped")
    }
    return beside
}

/// A fresh temporary directory, removed by the test case's teardown block.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
