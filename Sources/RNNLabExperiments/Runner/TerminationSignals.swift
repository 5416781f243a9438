import Foundation

/// SIGINT, SIGTERM and SIGHUP caught while a runner has child runs, so that it can stop them before it exits.
///
/// `catching` replaces the handlers (the run lock's, which exit at once) for the duration of its body with one
/// that only records the signal; the body polls `caught` and stops its children. The previous handlers are
/// restored afterwards.
enum TerminationSignals {
    static let numbers: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The signal caught since `catching` began, or nil.
    static var caught: Int32? { caughtSignal == 0 ? nil : caughtSignal }

    static func catching<T>(_ body: () throws -> T) rethrows -> T {
        caughtSignal = 0
        let previous = numbers.map { signal($0, recordTerminationSignal) }
        defer { for (number, handler) in zip(numbers, previous) { signal(number, handler) } }
        return try body()
    }
}

/// Written only by the handler (async-signal-safe), read by the runner's loop.
nonisolated(unsafe) private var caughtSignal: Int32 = 0

private func recordTerminationSignal(_ number: Int32) {
    caughtSignal = number
}
