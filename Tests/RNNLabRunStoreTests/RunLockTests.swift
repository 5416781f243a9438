import Foundation
import RNNLabRunStore
import XCTest

/// Run locks with heartbeats (across hosts without a pid check).
final class RunLockTests: XCTestCase {
    var directory: URL!
    let host = ProcessInfo.processInfo.hostName

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-locks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    var lockPath: String { directory.appendingPathComponent("run.h5.lock").path }

    func writeLock(pid: Int32, host: String, heartbeatAge: Double, step: Int? = nil) throws {
        let owner = LockOwner(pid: pid, host: host, token: UUID().uuidString, heartbeat: Date().timeIntervalSince1970 - heartbeatAge,
                              step: step, epoch: step.map { _ in 2 }, slurmJob: "77_3")
        try owner.text.write(toFile: lockPath, atomically: true, encoding: .utf8)
    }

    func testLockIsExclusiveAndReleased() throws {
        let policy = LockPolicy(heartbeatInterval: 60, staleAfter: 300)
        let first = try XCTUnwrap(RunLock(path: lockPath, policy: policy))
        let owner = try XCTUnwrap(LockOwner.read(lockAt: lockPath)?.owner)
        XCTAssertEqual(owner.pid, getpid())
        XCTAssertEqual(owner.host, host)
        XCTAssertNil(RunLock(path: lockPath, policy: policy), "a live lock keeps a second taker off")
        first.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: lockPath))
        XCTAssertNotNil(RunLock(path: lockPath, policy: policy), "free again")
    }

    func testHeartbeatRefreshesTheLockWithTheLastStep() throws {
        let lock = try XCTUnwrap(RunLock(path: lockPath, policy: LockPolicy(heartbeatInterval: 0.05, staleAfter: 300)))
        let start = try XCTUnwrap(LockOwner.read(lockAt: lockPath)?.owner)
        lock.update(step: 42, epoch: 3)
        let deadline = Date().addingTimeInterval(5)
        var seen = start
        while Date() < deadline, seen.step != 42 || seen.heartbeat <= start.heartbeat {
            Thread.sleep(forTimeInterval: 0.02)
            if let owner = LockOwner.read(lockAt: lockPath)?.owner { seen = owner }
        }
        XCTAssertEqual(seen.step, 42)
        XCTAssertEqual(seen.epoch, 3)
        XCTAssertGreaterThan(seen.heartbeat, start.heartbeat)
        XCTAssertEqual(seen.token, start.token)
        lock.release()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [], "no temporary files left")
    }

    func testLockOfAnotherHostIsJudgedByItsHeartbeatOnly() throws {
        let policy = LockPolicy(heartbeatInterval: 30, staleAfter: 300)
        // pid 1 exists here, but on another host the pid says nothing: only the heartbeat counts.
        try writeLock(pid: 1, host: "node-b.cluster", heartbeatAge: 10)
        XCTAssertNil(RunLock(path: lockPath, policy: policy), "a fresh heartbeat from another host is respected")
        try writeLock(pid: 1, host: "node-b.cluster", heartbeatAge: 301)
        let lock = try XCTUnwrap(RunLock(path: lockPath, policy: policy), "a stale heartbeat is taken over")
        XCTAssertEqual(lock.tookOver?.owner.host, "node-b.cluster")
        XCTAssertTrue(lock.tookOver?.reason.contains("no heartbeat for 30") ?? false, "\(String(describing: lock.tookOver))")
        XCTAssertEqual(LockOwner.read(lockAt: lockPath)?.owner.pid, getpid())
        lock.release()
    }

    func testLockOfADeadProcessOnThisHostIsTakenOverAtOnce() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        try writeLock(pid: child.processIdentifier, host: host, heartbeatAge: 1)
        let lock = try XCTUnwrap(RunLock(path: lockPath, policy: LockPolicy()))
        XCTAssertTrue(lock.tookOver?.reason.contains("is gone") ?? false)
        lock.release()
        // An old-style lock ("PID HOST") of a live process still holds.
        try "\(getpid()) \(host)\n".write(toFile: lockPath, atomically: true, encoding: .utf8)
        XCTAssertNil(RunLock(path: lockPath, policy: LockPolicy()))
    }

    func testReleaseLeavesALockTakenOverByAnotherOwner() throws {
        let lock = try XCTUnwrap(RunLock(path: lockPath, policy: LockPolicy(heartbeatInterval: 60, staleAfter: 300)))
        try writeLock(pid: 1, host: "node-c", heartbeatAge: 0)
        XCTAssertFalse(lock.beat(), "the heartbeat notices that the lock is no longer its own")
        lock.release()
        XCTAssertEqual(LockOwner.read(lockAt: lockPath)?.owner.host, "node-c", "someone else's lock is not removed")
    }

    func testPolicyFromTheEnvironment() {
        XCTAssertEqual(LockPolicy.fromEnvironment([:]), LockPolicy(heartbeatInterval: 30, staleAfter: 300))
        XCTAssertEqual(LockPolicy.fromEnvironment(["RNNLAB_HEARTBEAT_SECONDS": "2", "RNNLAB_STALE_AFTER_SECONDS": "10"]),
                       LockPolicy(heartbeatInterval: 2, staleAfter: 10))
        XCTAssertEqual(LockPolicy.fromEnvironment(["RNNLAB_HEARTBEAT_SECONDS": "-1", "RNNLAB_STALE_AFTER_SECONDS": "x"]), LockPolicy())
    }
}
