import Foundation
import XCTest

/// Runs the built `rnnlab` command in a working directory of its own.
struct CLI {
    let workDirectory: URL

    /// A fresh working directory, removed when the test ends.
    init(for test: XCTestCase) throws {
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        test.addTeardownBlock { [workDirectory] in try? FileManager.default.removeItem(at: workDirectory) }
    }

    /// The package's root directory (the one with Package.swift).
    static let packageDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The data mirror: `RNNLAB_DATA_MIRROR`, else `../shared/data` beside the package, as CI and the Makefile default to.
    static var mirrorPath: String {
        ProcessInfo.processInfo.environment["RNNLAB_DATA_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? packageDirectory.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }

    /// The most recently built `rnnlab` binary of this package (`make test` builds the release one first).
    static func binary() throws -> URL {
        let candidates = ["release", "debug"].map { packageDirectory.appendingPathComponent(".build/\($0)/rnnlab") }
            .filter { FileManager.default.isExecutableFile(atPath: $0.path) }
        func modified(_ url: URL) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        guard let newest = candidates.max(by: { modified($0) < modified($1) }) else {
            throw XCTSkip("rnnlab is not built: run `swift build` (make test builds it)")
        }
        return newest
    }

    /// Runs `rnnlab ARGUMENTS` to completion; returns its status and combined output.
    @discardableResult
    func callAsFunction(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try Self.process(try CLI.binary(), arguments, in: workDirectory,
                         environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, standardError: true)
    }

    /// Runs `executable` with `arguments` in `directory` (with `environment`, or this process's) until it ends: its
    /// exit status and its standard output, with its standard error interleaved when `standardError` is true.
    static func process(_ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                        standardError: Bool) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = standardError ? pipe : FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Runs `/usr/bin/env ARGUMENTS` (a system command such as git) in `directory`; its exit status and its
    /// standard output, trimmed (standard error is discarded).
    static func system(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let result = try process(URL(fileURLWithPath: "/usr/bin/env"), arguments, in: directory, standardError: false)
        return (result.status, result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
