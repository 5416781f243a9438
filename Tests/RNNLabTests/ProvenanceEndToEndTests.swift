import Foundation
import RNNLabRunStore
import XCTest

/// The commit a run records is the one `rnnlab` was built from, also when it runs outside the repository.
final class ProvenanceEndToEndTests: XCTestCase {
    /// `git ARGUMENTS` in the package's checkout: its output, or nil when that fails (no git, no checkout).
    func git(_ arguments: [String]) throws -> String? {
        let (status, output) = try CLI.system(["git", "-C", CLI.packageDirectory.path] + arguments)
        return status == 0 ? output : nil
    }

    func testARunOutsideTheRepositoryRecordsTheCheckoutsCommit() throws {
        let rnnlab = try CLI(for: self)
        XCTAssertFalse(rnnlab.workDirectory.path.hasPrefix(CLI.packageDirectory.path), "the run is outside the checkout")
        let head = try git(["rev-parse", "HEAD"]) ?? SourceRevision.unknownCommit
        let dirty = try git(["status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"]).map { !$0.isEmpty } ?? false

        let train = try rnnlab(["train", "--task", "adding", "--length", "4", "--hidden", "2", "--epochs", "1",
                                "--batch-size", "50", "--output", "a.h5"])
        XCTAssertEqual(train.status, 0, train.output)
        let provenance = try XCTUnwrap(RunFile.read(from: rnnlab.workDirectory.appendingPathComponent("a.h5").path).provenance)
        XCTAssertEqual(provenance.gitCommit, head, "rebuild after committing: the binary records the commit it was built from")
        XCTAssertEqual(provenance.gitDirty, dirty)

        let info = try rnnlab(["info"])
        XCTAssertEqual(info.status, 0, info.output)
        let expected = head == SourceRevision.unknownCommit ? "Source: unknown commit (built outside a git checkout)\n"
            : "Source: git \(head)" + (dirty ? " with uncommitted changes under Sources/ or to Package.swift\n" : "\n")
        XCTAssertTrue(info.output.contains(expected), info.output)
    }
}
