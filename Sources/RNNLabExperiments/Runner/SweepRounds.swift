import Foundation
import RNNLabRunStore

/// What one round of runs gave: how many failed, and which ones another live process held.
struct RoundResult {
    var failures = 0
    var held: [PlannedRun] = []
}

/// A sweep goes in rounds: the pending runs, then those another process held and has since released
/// unfinished (and, with `waitsForHeldRuns`, those it still holds, once it releases them).
extension ExperimentRunner {
    /// Runs `runs` once, here or in child processes.
    func runRound(_ runs: [PlannedRun], jobs: Int, executable: String?) throws -> RoundResult {
        guard jobs > 1, let executable, runs.count > 1 else {
            var result = RoundResult()
            for (index, run) in runs.enumerated() {
                log("[\(index + 1)/\(runs.count)] \(run.arm), seed \(run.seed) (\(run.runID))")
                do {
                    if try runOne(run) == .heldElsewhere { result.held.append(run) }
                } catch {
                    result.failures += 1
                    log("  failed: \(error)")
                }
            }
            return result
        }
        return try runInChildren(runs, jobs: jobs, executable: executable)
    }

    /// Sorts runs another process held: finished ones are dropped, those now free are to be tried again,
    /// and those still held by a live process are returned with their holder.
    func sortHeld(_ runs: [PlannedRun]) -> (free: [PlannedRun], held: [HeldRun]) {
        var free: [PlannedRun] = [], held: [HeldRun] = []
        for run in runs {
            let status = store.status(experiment.name, runID: run.runID, configuration: run.configuration, policy: lockPolicy)
            switch status.state {
            case .complete, .diverged:
                if status.awaitsRecord { free.append(run) }   // its writer stopped before the record: record it here
                continue
            case .running(_, _, _, let owner): held.append(HeldRun(run: run, owner: owner.description))
            default: free.append(run)
            }
        }
        return (free, held)
    }
}
