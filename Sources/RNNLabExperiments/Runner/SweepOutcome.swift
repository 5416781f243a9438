import Foundation
import RNNLabRunStore

/// How one attempt at a run in this process ended (`ExperimentRunner.runOne`).
public enum RunAttempt: Sendable, Equatable {
    /// Trained to its end here (complete or diverged).
    case computed
    /// The store already held it finished.
    case alreadyFinished
    /// Another live process holds its lock: nothing was done.
    case heldElsewhere
}

/// A planned run that another live process was still computing when a sweep ended.
public struct HeldRun: Sendable {
    public var run: PlannedRun
    /// Who holds its lock ("HOST pid P, slurm job J").
    public var owner: String

    public init(run: PlannedRun, owner: String) {
        self.run = run
        self.owner = owner
    }

    /// "RUN_ID (ARM, seed S): OWNER".
    public var description: String { "\(run.runID) (\(run.arm), seed \(run.seed)): \(owner)" }
}

/// What a sweep (`ExperimentRunner.runAll`) left: the runs that failed, and those other processes still hold.
public struct SweepOutcome: Sendable {
    public var failures: Int
    /// Runs held by other live processes when the sweep ended; when not empty, the report is partial.
    public var held: [HeldRun]

    /// The exit status of a sweep that ends with runs held by other processes, and of `rnnlab run --run ID` when
    /// the run is held (how a runner's child says so): 75, EX_TEMPFAIL of sysexits.h, "try again later".
    public static let partialExitStatus: Int32 = 75

    public init(failures: Int = 0, held: [HeldRun] = []) {
        self.failures = failures
        self.held = held
    }
}

/// A sweep stopped by SIGINT, SIGTERM or SIGHUP: its child runs were stopped too (each released its lock and
/// keeps its last checkpoint), and the runs not yet started were not started.
public struct SweepInterrupted: Error, Sendable, CustomStringConvertible {
    public var signal: Int32
    /// The runs that were being computed, each stopped.
    public var stopped: [String]
    /// How many planned runs had not started.
    public var notStarted: Int

    public var description: String {
        let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)"
        return "interrupted by \(name): stopped \(stopped.count) running run\(stopped.count == 1 ? "" : "s")"
            + (stopped.isEmpty ? "" : " (\(stopped.joined(separator: ", ")))")
            + " and started none of the \(notStarted) waiting; `rnnlab run` again resumes them from their last checkpoints"
    }
}
