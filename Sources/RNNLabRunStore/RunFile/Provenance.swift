import Foundation
import RNNLabHDF5
import RNNLabNumerics

/// Where and how a run was computed.
public struct Provenance: Equatable, Sendable {
    public var gitCommit: String
    public var gitDirty: Bool
    public var rnnlabVersion: String
    public var swiftVersion: String
    public var blas: String
    public var blasThreads: Int
    public var hdf5: String
    public var cpu: String
    public var commandLine: String

    /// The provenance of the current process, in `directory` (for git).
    public static func current(rnnlabVersion: String, directory: String = FileManager.default.currentDirectoryPath) -> Provenance {
        let commit = run(["git", "-C", directory, "rev-parse", "HEAD"]) ?? "unknown"
        // Dirty means uncommitted changes to what computes the numbers (generated reports do not count).
        let status = run(["git", "-C", directory, "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"]) ?? ""
        #if compiler(>=6.3)
        let swift = "6.3 or later"
        #else
        let swift = "before 6.3"
        #endif
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return Provenance(gitCommit: commit, gitDirty: !status.isEmpty, rnnlabVersion: rnnlabVersion, swiftVersion: swift,
                          blas: BLAS.configuration, blasThreads: BLAS.threads, hdf5: HDF5Library.version, cpu: cpu,
                          commandLine: CommandLine.arguments.joined(separator: " "))
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
}
