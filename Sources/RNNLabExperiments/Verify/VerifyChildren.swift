import Foundation

/// `rnnlab verify --jobs N`: each planned run is verified by a child process (`rnnlab verify FILE --run ID …`),
/// N at a time, each with one BLAS thread. Children end with the parent (`RunnerLink`); SIGINT, SIGTERM or SIGHUP
/// sent to the parent is passed on to them.
public enum VerifyChildren {
    /// What the children found, summed.
    public struct Totals: Equatable, Sendable {
        public var identical = 0, different = 0, cannotCompare = 0
        public init() {}
    }

    /// A verification the parent stopped because it received `signal`.
    public struct Interrupted: Error, CustomStringConvertible {
        public var signal: Int32
        public var description: String { "stopped by signal \(signal); the verification is incomplete" }
    }

    /// Runs one child per element of `arguments` (each the child's command line after the executable), `jobs` at a
    /// time; prints each child's result lines (those starting with two spaces) through `log` as it ends, prefixed
    /// with its `label`, and sums the counts of the children's summary lines.
    public static func run(_ children: [(label: String, arguments: [String])], jobs: Int, executable: String,
                           log: (String) -> Void) throws -> Totals {
        try TerminationSignals.catching {
            var queue = children[...]
            var active: [(process: Process, output: URL, label: String)] = []
            var totals = Totals()
            while !queue.isEmpty || !active.isEmpty {
                if let signal = TerminationSignals.caught {
                    for child in active where child.process.isRunning { kill(child.process.processIdentifier, signal) }
                    for child in active { child.process.waitUntilExit() }
                    throw Interrupted(signal: signal)
                }
                while active.count < max(jobs, 1), let next = queue.popFirst() {
                    // Output goes to a file, not a pipe: a child never blocks on a full pipe while the parent waits.
                    let process = Process()
                    let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rnnlab-verify-\(getpid())-\(UUID().uuidString).log")
                    FileManager.default.createFile(atPath: file.path, contents: nil)
                    guard let output = try? FileHandle(forWritingTo: file) else {
                        totals.cannotCompare += 1
                        continue
                    }
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = next.arguments
                    process.standardOutput = output
                    process.standardError = output
                    process.environment = ProcessInfo.processInfo.environment.merging(
                        ["OPENBLAS_NUM_THREADS": "1", "RNNLAB_PLAIN": "1", RunnerLink.environmentVariable: "\(getpid())"]) { $1 }
                    do {
                        try process.run()
                        try? output.close()
                        active.append((process, file, next.label))
                    } catch {
                        totals.cannotCompare += 1
                        log("  \(next.label): cannot compare: could not start a child (\(error))")
                    }
                }
                guard let index = active.firstIndex(where: { !$0.process.isRunning }) else {
                    Thread.sleep(forTimeInterval: 0.05)
                    continue
                }
                let child = active.remove(at: index)
                let text = (try? String(contentsOf: child.output, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(at: child.output)
                let lines = text.split(separator: "\n").map(String.init)
                for line in lines where line.hasPrefix("  ") { log("  \(child.label): \(line.dropFirst(2))") }
                if let summary = lines.last(where: { $0.hasPrefix("verify: ") }), let counts = Self.counts(in: summary) {
                    totals.identical += counts.identical
                    totals.different += counts.different
                    totals.cannotCompare += counts.cannotCompare
                } else {
                    totals.cannotCompare += 1
                    log("  \(child.label): cannot compare: the child exited with status \(child.process.terminationStatus): "
                        + (lines.last ?? "no output"))
                }
            }
            return totals
        }
    }

    /// The counts of a summary line "verify: A identical to their records, B different, C could not be compared…".
    static func counts(in summary: String) -> Totals? {
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 3 else { return nil }
        var totals = Totals()
        (totals.identical, totals.different, totals.cannotCompare) = (numbers[0], numbers[1], numbers[2])
        return totals
    }
}
