import Foundation

/// How often a lock's owner writes its heartbeat, and when a silent lock counts as abandoned.
///
/// A lock whose owner is on this host and whose process is gone is stale at
/// once. A lock from another host (a cluster node sharing the results
/// directory) is stale when its heartbeat is older than `staleAfter`: no pid
/// check is possible there. The defaults (30 s, 5 min) can be changed with
/// `RNNLAB_HEARTBEAT_SECONDS` and `RNNLAB_STALE_AFTER_SECONDS`.
public struct LockPolicy: Sendable, Equatable {
    public var heartbeatInterval: Double
    public var staleAfter: Double

    public init(heartbeatInterval: Double = 30, staleAfter: Double = 300) {
        self.heartbeatInterval = heartbeatInterval
        self.staleAfter = staleAfter
    }

    /// The defaults, overridden by the environment.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LockPolicy {
        var policy = LockPolicy()
        if let text = environment["RNNLAB_HEARTBEAT_SECONDS"], let value = Double(text), value > 0 { policy.heartbeatInterval = value }
        if let text = environment["RNNLAB_STALE_AFTER_SECONDS"], let value = Double(text), value > 0 { policy.staleAfter = value }
        return policy
    }
}

/// What a lock file says about its owner.
///
/// The file is text: a first line `PID HOST`, then `key value` lines
/// (`token`, `heartbeat` in Unix seconds, `step`, `epoch`, `slurm_job`).
public struct LockOwner: Equatable, Sendable {
    public var pid: Int32
    public var host: String
    /// Tells one acquisition from another (pids repeat across hosts and time).
    public var token: String
    /// Unix time of the last heartbeat (the file's modification time if the file has none).
    public var heartbeat: Double
    /// The last finished training step and the epoch it belongs to.
    public var step: Int?
    public var epoch: Int?
    /// `JOB_TASK` of the Slurm array task (or the job id) that holds the lock.
    public var slurmJob: String?

    public init(pid: Int32, host: String, token: String, heartbeat: Double, step: Int? = nil, epoch: Int? = nil, slurmJob: String? = nil) {
        self.pid = pid
        self.host = host
        self.token = token
        self.heartbeat = heartbeat
        self.step = step
        self.epoch = epoch
        self.slurmJob = slurmJob
    }

    /// The file's text.
    public var text: String {
        var lines = ["\(pid) \(host)", "token \(token)", "heartbeat \(String(format: "%.3f", heartbeat))"]
        if let step { lines.append("step \(step)") }
        if let epoch { lines.append("epoch \(epoch)") }
        if let slurmJob { lines.append("slurm_job \(slurmJob)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses a lock file's text; `modified` stands in for a missing heartbeat.
    /// Text that names no owner (e.g. a file caught while being created) gives an
    /// owner with pid 0 and an empty host, judged by its age only.
    public static func parse(_ text: String, modified: Double) -> LockOwner {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var owner = LockOwner(pid: 0, host: "", token: "", heartbeat: modified)
        if let first = lines.first {
            let parts = first.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, let pid = Int32(parts[0]) {
                owner.pid = pid
                owner.host = parts[1]
            }
        }
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "token": owner.token = parts[1]
            case "heartbeat": if let value = Double(parts[1]) { owner.heartbeat = value }
            case "step": owner.step = Int(parts[1])
            case "epoch": owner.epoch = Int(parts[1])
            case "slurm_job": owner.slurmJob = parts[1]
            default: break
            }
        }
        return owner
    }

    /// The owner recorded in the lock file at `path`, or nil when there is no lock.
    public static func read(lockAt path: String) -> (owner: LockOwner, text: String)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return (parse(text, modified: modified), text)
    }

    /// Why this lock no longer protects a live computation, or nil while it does.
    public func staleness(now: Double = Date().timeIntervalSince1970, policy: LockPolicy,
                          localHost: String = ProcessInfo.processInfo.hostName) -> String? {
        // A zombie counts as gone: it holds nothing, though `kill(pid, 0)` still succeeds for it.
        if host == localHost, pid > 0, !ProcessLiveness.isAlive(pid) {
            return "process \(pid) on \(host) is gone"
        }
        let age = now - heartbeat
        if age > policy.staleAfter {
            return "no heartbeat for \(Int(age)) s from \(host.isEmpty ? "an unknown host" : host)\(pid > 0 ? " (pid \(pid))" : "")"
        }
        return nil
    }

    /// "HOST pid P, slurm job J".
    public var description: String {
        "\(host.isEmpty ? "unknown host" : host) pid \(pid)" + (slurmJob.map { ", slurm job \($0)" } ?? "")
    }
}

/// An exclusive lock on one run, `RUN_ID.h5.lock` beside its run file.
///
/// Taken with an exclusive create, so two processes (on one host or on cluster
/// nodes sharing the results directory) never compute the same run at once.
/// While held, a background thread rewrites the file every
/// `policy.heartbeatInterval` seconds with the time and the last finished
/// training step. A stale lock (see `LockOwner.staleness`) is taken over.
public final class RunLock: @unchecked Sendable {
    public let path: String
    public let policy: LockPolicy
    /// The stale lock this one replaced, if any.
    public private(set) var tookOver: (owner: LockOwner, reason: String)?
    private var owner: LockOwner
    private let mutex = NSLock()
    private let stop = DispatchSemaphore(value: 0)
    private var heartbeatThread: Thread?
    private var released = false
    /// Whether this process created the lock file (a failed `init` holds nothing).
    private var holds = false

    /// Takes the lock at `path`, or returns nil while a live owner holds it.
    public init?(path: String, policy: LockPolicy = .fromEnvironment()) {
        self.path = path
        self.policy = policy
        let environment = ProcessInfo.processInfo.environment
        let slurmJob = environment["SLURM_ARRAY_JOB_ID"].flatMap { job in environment["SLURM_ARRAY_TASK_ID"].map { "\(job)_\($0)" } }
            ?? environment["SLURM_JOB_ID"]
        owner = LockOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName, token: UUID().uuidString,
                          heartbeat: Date().timeIntervalSince1970, slurmJob: slurmJob)
        var acquired = false
        for _ in 0..<3 {
            if RunLock.createExclusively(path, text: owner.text) {
                acquired = true
                break
            }
            guard let (holder, text) = LockOwner.read(lockAt: path) else { continue }   // released meanwhile: retry
            guard let reason = holder.staleness(policy: policy) else { return nil }
            guard RunLock.removeStale(path, observed: text, token: owner.token) else { return nil }
            tookOver = (holder, reason)
        }
        guard acquired else { return nil }
        holds = true
        RunLock.setTerminationPath(path)
        startHeartbeat()
    }

    deinit { release() }

    /// Records the last finished training step, for the next heartbeat.
    public func update(step: Int, epoch: Int) {
        mutex.lock()
        owner.step = step
        owner.epoch = epoch
        mutex.unlock()
    }

    /// Stops the heartbeat and removes the lock file (if it is still this lock's).
    public func release() {
        mutex.lock()
        let first = !released && holds
        released = true
        mutex.unlock()
        guard first else { return }
        stop.signal()
        RunLock.setTerminationPath(nil)
        if LockOwner.read(lockAt: path)?.owner.token == owner.token { unlink(path) }
    }

    /// Writes the heartbeat now; false if the file is no longer this lock's.
    @discardableResult
    public func beat() -> Bool {
        mutex.lock()
        owner.heartbeat = Date().timeIntervalSince1970
        let text = owner.text, token = owner.token, done = released
        mutex.unlock()
        guard !done, LockOwner.read(lockAt: path)?.owner.token == token else { return false }
        let temporary = path + ".beat-\(token)"
        guard (try? text.write(toFile: temporary, atomically: false, encoding: .utf8)) != nil else { return false }
        return rename(temporary, path) == 0
    }

    private func startHeartbeat() {
        let interval = policy.heartbeatInterval
        let thread = Thread { [weak self, stop] in
            while stop.wait(timeout: .now() + interval) == .timedOut {
                guard let self, self.beat() else { return }
            }
        }
        thread.name = "rnnlab-heartbeat"
        heartbeatThread = thread
        thread.start()
    }

    private static func createExclusively(_ path: String, text: String) -> Bool {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
        guard descriptor >= 0 else { return false }
        _ = text.withCString { write(descriptor, $0, strlen($0)) }
        fsync(descriptor)
        close(descriptor)
        return true
    }

    /// Moves a stale lock out of the way. If the file moved aside is not the one
    /// judged stale (another process took the lock over in between), it is put
    /// back and false is returned.
    private static func removeStale(_ path: String, observed: String, token: String) -> Bool {
        let aside = path + ".stale-\(token)"
        guard rename(path, aside) == 0 else { return true }   // gone already: try to create
        let moved = (try? String(contentsOfFile: aside, encoding: .utf8)) ?? ""
        if moved == observed {
            unlink(aside)
            return true
        }
        _ = link(aside, path)   // fails if yet another lock exists; either way that owner keeps it
        unlink(aside)
        return false
    }

    // MARK: Termination

    /// Installs handlers for SIGTERM, SIGINT and SIGHUP that remove the lock this
    /// process holds and exit with 128 + the signal. Slurm sends SIGTERM on
    /// `scancel`, preemption and time limits; without the lock, the next attempt
    /// (on any node) starts at once instead of waiting for the heartbeat to go stale.
    /// The run file keeps its last checkpoint, from which the run resumes.
    public static func releaseOnTermination() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, runLockTerminationHandler)
        }
    }

    static func setTerminationPath(_ path: String?) {
        let old = terminationLockPath
        terminationLockPath = path.map { strdup($0) } ?? nil
        free(old)
    }
}

/// The lock file to remove when a termination signal arrives (one run per process at a time).
nonisolated(unsafe) private var terminationLockPath: UnsafeMutablePointer<CChar>?

private func runLockTerminationHandler(_ signalNumber: Int32) {
    if let path = terminationLockPath { unlink(path) }
    let message: StaticString = "rnnlab: terminated by a signal; lock released, the run resumes from its last checkpoint\n"
    _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
    _exit(128 + signalNumber)
}
