import RNNLabRunStore
import XCTest

/// The source commit embedded at build time, and the provenance that records it.
final class SourceRevisionTests: XCTestCase {
    func testTheBuiltRevisionIsAFullCommitOrUnknown() {
        let built = SourceRevision.built
        if built.isKnown {
            XCTAssertEqual(built.commit.count, 40, built.commit)
            XCTAssertTrue(built.commit.allSatisfy(\.isHexDigit), built.commit)
        } else {
            XCTAssertFalse(built.isDirty, "a build without a checkout has no uncommitted changes to report")
            XCTAssertEqual(built.summary, "unknown commit (built outside a git checkout)")
        }
    }

    func testTheCurrentProvenanceRecordsTheBuiltRevision() {
        let provenance = Provenance.current(rnnlabVersion: "0.1.0")
        XCTAssertEqual(provenance.gitCommit, SourceRevision.built.commit)
        XCTAssertEqual(provenance.gitDirty, SourceRevision.built.isDirty)
    }
}
