import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed team of threads for the short parallel loops inside a recurrent step.
///
/// Each time step of an RNN does two small pieces of work (the recurrent
/// product, then the gate arithmetic) that take tens of microseconds; waking a
/// sleeping thread for each costs as much. The team's helper threads therefore
/// spin for a few tens of microseconds after each job, so that the next one is
/// handed over with one atomic increment; a helper that finds no work in that
/// time sleeps on a condition variable (idle teams cost nothing) and is woken by
/// the next job.
///
/// `run(_:)` calls `body(worker, workers)` once for every worker in 0..<size,
/// worker 0 on the calling thread, and returns when all have finished. Callers
/// split work so that every output element is computed by exactly one worker
/// with the same arithmetic as on one thread: results do not depend on `size`.
/// Jobs must not call `run` themselves. One caller at a time (the training loop).
public final class ParallelTeam: @unchecked Sendable {
    /// Number of workers, the calling thread included.
    public let size: Int

    private let epoch = Atomic<Int>(0)       // incremented to publish a job
    private let pending = Atomic<Int>(0)     // helpers still working on the current job
    private let stopping = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)    // helpers waiting on `wake`
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private nonisolated(unsafe) var body: (Int, Int) -> Void = ParallelTeam.idle
    private var helpers: [pthread_t] = []

    /// A team of `size` workers (at least 1: the caller alone).
    public init(size: Int) {
        self.size = max(1, size)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        for index in 1..<self.size {
            let context = Unmanaged.passRetained(HelperContext(team: self, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                let context = Unmanaged<HelperContext>.fromOpaque(raw).takeRetainedValue()
                context.team.helperLoop(index: context.index)
                return nil
            }, context)
            if status == 0 { helpers.append(thread) } else { Unmanaged<HelperContext>.fromOpaque(context).release() }
        }
    }

    deinit {
        stopping.store(true, ordering: .sequentiallyConsistent)
        publish()
        for thread in helpers { pthread_join(thread, nil) }
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(lock)
        wake.deallocate()
        lock.deallocate()
    }

    /// Starts the next epoch and wakes sleeping helpers. (The increment and the
    /// sleeper count are sequentially consistent with the helper's side in
    /// `waitForJob`: either the helper sees the new epoch, or this sees the sleeper.)
    private func publish() {
        epoch.add(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(lock)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
        }
    }

    /// Runs `body(worker, workers)` on every worker and waits for all of them.
    /// (The closure is not copied to the heap: no allocation per call.)
    public func run(_ body: (_ worker: Int, _ workers: Int) -> Void) {
        let workers = helpers.count + 1
        guard workers > 1 else { body(0, 1); return }
        withoutActuallyEscaping(body) { body in
            self.body = body
            pending.store(workers - 1, ordering: .relaxed)
            publish()
            body(0, workers)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 20_000 { sched_yield() }
            }
            self.body = Self.idle
        }
    }

    private static let idle: @Sendable (Int, Int) -> Void = { _, _ in }

    /// The range of `0..<count` that `worker` of `workers` takes: contiguous, nearly equal shares.
    @inline(__always)
    public static func share(of count: Int, worker: Int, workers: Int) -> Range<Int> {
        (count * worker / workers) ..< (count * (worker + 1) / workers)
    }

    private func helperLoop(index: Int) {
        var seen = 0   // the epoch at construction: a job published before this thread started is still seen
        while true {
            seen = waitForJob(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            runJob(index: index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Spins about 20,000 times for the next epoch, then sleeps until `publish` wakes it.
    private func waitForJob(after seen: Int) -> Int {
        for _ in 0..<20_000 {
            let current = epoch.load(ordering: .acquiring)
            if current != seen { return current }
        }
        pthread_mutex_lock(lock)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var current = epoch.load(ordering: .sequentiallyConsistent)
        while current == seen {
            pthread_cond_wait(wake, lock)
            current = epoch.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(lock)
        return current
    }

    /// Calls the current job; its copy of the closure is released before this returns.
    @inline(never)
    private func runJob(index: Int) {
        body(index, helpers.count + 1)
    }

    /// The process's team for `size` workers (created on first use, replaced when the size changes).
    public static func shared(size: Int) -> ParallelTeam {
        teams.withLock { team in
            if let team, team.size == max(1, size) { return team }
            let fresh = ParallelTeam(size: size)
            team = fresh
            return fresh
        }
    }

    private static let teams = Mutex<ParallelTeam?>(nil)
}

/// What a helper thread starts with. The reference is unowned: helpers do not keep
/// their team alive, and the team's deinit joins them before its memory goes.
private final class HelperContext {
    unowned(unsafe) let team: ParallelTeam
    let index: Int
    init(team: ParallelTeam, index: Int) { self.team = team; self.index = index }
}
