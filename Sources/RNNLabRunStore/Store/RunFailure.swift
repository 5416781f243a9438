import Foundation

/// The error that stopped a run, kept beside its run file as `RUN_ID.h5.failed`.
///
/// A failure never touches the run file itself: an interrupted run keeps its
/// last checkpoint and resumes from it on the next attempt. The record is
/// removed when a new attempt starts, and stays only while the run is not
/// finished.
public struct RunFailure: Equatable, Sendable {
    public var error: String
    public var host: String
    public var time: String
    public var slurmJob: String?

    public init(error: String, host: String = ProcessInfo.processInfo.hostName, time: String = ISO8601DateFormatter().string(from: Date()),
                slurmJob: String? = ProcessInfo.processInfo.environment["SLURM_JOB_ID"]) {
        self.error = error
        self.host = host
        self.time = time
        self.slurmJob = slurmJob
    }

    /// `RUN_ID.h5.failed` beside the run file at `runPath`.
    public static func path(forRunAt runPath: String) -> String { runPath + ".failed" }

    /// Writes the record atomically.
    public func write(forRunAt runPath: String) throws {
        var text = "error: \(error.replacingOccurrences(of: "\n", with: " "))\nhost: \(host)\ntime: \(time)\n"
        if let slurmJob { text += "slurm_job: \(slurmJob)\n" }
        try text.write(toFile: RunFailure.path(forRunAt: runPath), atomically: true, encoding: .utf8)
    }

    /// The record beside the run file at `runPath`, if there is one.
    public static func read(forRunAt runPath: String) -> RunFailure? {
        guard let text = try? String(contentsOfFile: path(forRunAt: runPath), encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RunFailure(error: fields["error"] ?? text, host: fields["host"] ?? "", time: fields["time"] ?? "",
                          slurmJob: fields["slurm_job"])
    }

    /// Removes the record beside the run file at `runPath`, if any.
    public static func remove(forRunAt runPath: String) {
        unlink(path(forRunAt: runPath))
    }
}
