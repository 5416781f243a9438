import Foundation

/// The child side of `rnnlab run --jobs N`: a child run ends when the runner that started it ends, however
/// that ends (SIGKILL included).
///
/// The runner passes its pid in `RNNLAB_RUNNER_PID`. The child asks the kernel (Linux `PR_SET_PDEATHSIG`) for a
/// SIGTERM when its parent dies, which the run lock's termination handler turns into a released lock and an exit;
/// then it checks that its parent is still the runner, since a runner that died before the request sends nothing.
/// The request follows the thread that started the child: the runner starts children from its main thread.
public enum RunnerLink {
    /// The environment variable holding the runner's pid.
    public static let environmentVariable = "RNNLAB_RUNNER_PID"

    /// Links this process to the runner named in `environment`, if any. Returns false when that runner is
    /// already gone (this process should then stop at once); true otherwise, also without a runner.
    public static func follow(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let text = environment[environmentVariable], let runner = Int32(text) else { return true }
        requestParentDeathSignal(SIGTERM)
        return getppid() == runner
    }

    /// `prctl(PR_SET_PDEATHSIG, signal)`. Swift does not import C variadic functions, so it is called through
    /// its symbol with the integer arguments it reads.
    private static func requestParentDeathSignal(_ signal: Int32) {
        #if os(Linux)
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        let setParentDeathSignal: Int32 = 1   // PR_SET_PDEATHSIG
        guard let symbol = dlsym(nil, "prctl") else { return }
        _ = unsafeBitCast(symbol, to: Prctl.self)(setParentDeathSignal, UInt(signal), 0, 0, 0)
        #endif
    }
}
