import Foundation
import RNNLabHDF5
import RNNLabNumerics

/// Where and how a run was computed.
public struct Provenance: Equatable, Sendable {
    /// The commit the binary that computed the run was built from (`SourceRevision.unknownCommit` if unknown).
    public var gitCommit: String
    /// Whether that build had uncommitted changes under `Sources/` or to `Package.swift`.
    public var gitDirty: Bool
    public var rnnlabVersion: String
    public var swiftVersion: String
    public var blas: String
    public var blasThreads: Int
    public var hdf5: String
    public var cpu: String
    public var commandLine: String

    /// The provenance of the current process. The commit and dirty flag are those of the source this binary was
    /// built from (`SourceRevision.built`, embedded at build time), not of the directory it runs in.
    public static func current(rnnlabVersion: String) -> Provenance {
        let source = SourceRevision.built
        #if compiler(>=6.3)
        let swift = "6.3 or later"
        #else
        let swift = "before 6.3"
        #endif
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return Provenance(gitCommit: source.commit, gitDirty: source.isDirty, rnnlabVersion: rnnlabVersion, swiftVersion: swift,
                          blas: BLAS.configuration, blasThreads: BLAS.threads, hdf5: HDF5Library.version, cpu: cpu,
                          commandLine: CommandLine.arguments.joined(separator: " "))
    }
}
