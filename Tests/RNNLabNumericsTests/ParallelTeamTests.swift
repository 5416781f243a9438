import RNNLabNumerics
import XCTest

/// The spinning team: every worker runs every job exactly once, shares cover the range, teams can be replaced.
final class ParallelTeamTests: XCTestCase {
    func testEveryWorkerRunsEveryJobOnce() {
        for size in [1, 2, 3] {
            let team = ParallelTeam(size: size)
            let counts = UnsafeMutablePointer<Int>.allocate(capacity: size)
            counts.initialize(repeating: 0, count: size)
            defer { counts.deallocate() }
            for _ in 0..<2_000 {
                team.run { worker, workers in
                    XCTAssertEqual(workers, size)
                    counts[worker] += 1   // each worker writes only its own slot
                }
            }
            XCTAssertEqual((0..<size).map { counts[$0] }, Array(repeating: 2_000, count: size), "size \(size)")
        }
    }

    func testSharesCoverTheRangeWithoutOverlap() {
        for count in [0, 1, 5, 16, 33] {
            for workers in 1...4 {
                let shares = (0..<workers).map { ParallelTeam.share(of: count, worker: $0, workers: workers) }
                XCTAssertEqual(shares.flatMap { Array($0) }, Array(0..<count), "count \(count), workers \(workers)")
            }
        }
    }

    func testSharedTeamFollowsTheRequestedSize() {
        XCTAssertEqual(ParallelTeam.shared(size: 2).size, 2)
        XCTAssertTrue(ParallelTeam.shared(size: 2) === ParallelTeam.shared(size: 2))
        XCTAssertEqual(ParallelTeam.shared(size: 3).size, 3)   // the team of 2 is replaced (and its helpers joined)
        XCTAssertEqual(ParallelTeam.shared(size: 1).size, 1)
    }
}
