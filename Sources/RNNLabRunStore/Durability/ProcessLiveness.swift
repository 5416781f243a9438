import Foundation

/// Whether a process id on this host belongs to a living process.
enum ProcessLiveness {
    /// True when the process exists and is not a zombie. A process killed while
    /// its parent was killed too stays a zombie until init reaps it, which in
    /// some containers takes seconds; `kill(pid, 0)` still succeeds for it, but
    /// it holds nothing any more.
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: end)...].split(separator: " ").first
            if state == "Z" || state == "X" { return false }
        }
        return true
    }
}
