import Foundation

/// What the runner does with run files it cannot trust, and with the leftovers
/// of a writer that was killed.
extension RunStore {
    /// Whether a name can be one path component under the results directory:
    /// no separator, not empty, not "." or "..", no leading dot.
    public static func isSafeComponent(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
            && name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.+=-]*$", options: .regularExpression) != nil && !name.contains("..")
    }

    /// The path of a run file, after checking that the experiment name and the
    /// run id cannot escape the results directory.
    public func checkedPath(_ experiment: String, _ runID: String) throws -> String {
        for (what, name) in [("experiment name", experiment), ("run id", runID)] where !RunStore.isSafeComponent(name) {
            throw RunStoreError.unsafeName(kind: what, name: name, results: results.path)
        }
        return path(experiment, runID)
    }

    /// Moves an untrusted run file aside (never deletes it) to
    /// `RUN_ID.h5.corrupt-TIME-PID[-N]` beside it and returns that path.
    public func moveAside(_ path: String) throws -> String {
        let stamp = "\(Int(Date().timeIntervalSince1970))-\(getpid())"
        var aside = path + ".corrupt-\(stamp)"
        var attempt = 1
        while FileManager.default.fileExists(atPath: aside) {
            attempt += 1
            aside = path + ".corrupt-\(stamp)-\(attempt)"
        }
        guard rename(path, aside) == 0 else {
            throw RunStoreError.cannotMoveAside(path: path, reason: String(cString: strerror(errno)))
        }
        return aside
    }

    /// Removes `PATH.tmp-PID` files left by writers that are no longer alive
    /// (killed between creating and renaming their file). Returns what was removed.
    @discardableResult
    public func removeStaleTemporaries(of path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let prefix = url.lastPathComponent + ".tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), !ProcessLiveness.isAlive(pid) else { continue }
            let stale = url.deletingLastPathComponent().appendingPathComponent(name).path
            if unlink(stale) == 0 { removed.append(stale) }
        }
        return removed
    }
}

/// Errors of the run store.
public enum RunStoreError: Error, CustomStringConvertible {
    case unsafeName(kind: String, name: String, results: String)
    case cannotMoveAside(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsafeName(let kind, let name, let results):
            "the \(kind) '\(name)' would leave the results directory \(results) (use letters, digits and - _ . + =; no '/', no '..')"
        case .cannotMoveAside(let path, let reason):
            "cannot move the untrusted run file \(path) aside (\(reason)); it was left in place and not recomputed"
        }
    }
}
