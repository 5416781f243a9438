import Foundation
import XCTest

/// `Plugins/BuildInfo/write-build-info.sh`, which writes the source commit into the build before every build.
final class BuildInfoScriptTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-buildinfo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        addTeardownBlock { [scratch] in try? FileManager.default.removeItem(at: scratch!) }
    }

    /// Runs `executable ARGUMENTS` in `directory`; returns its standard output, failing the test if it fails.
    @discardableResult
    func run(_ arguments: [String], in directory: URL) throws -> String {
        let (status, output) = try CLI.system(arguments, in: directory)
        XCTAssertEqual(status, 0, "\(arguments.joined(separator: " ")) failed")
        return output
    }

    func makePackage(_ path: String) throws -> URL {
        let package = scratch.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: package.appendingPathComponent("Sources"), withIntermediateDirectories: true)
        try "// package\n".write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try "let a = 1\n".write(to: package.appendingPathComponent("Sources/a.swift"), atomically: true, encoding: .utf8)
        return package
    }

    func commitAll(in directory: URL) throws {
        try run(["git", "add", "-A"], in: directory)
        try run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "commit"], in: directory)
    }

    /// Writes the build info of `package` and returns its commit and dirty flag as written.
    func buildInfo(of package: URL) throws -> (commit: String, dirty: String) {
        let script = CLI.packageDirectory.appendingPathComponent("Plugins/BuildInfo/write-build-info.sh").path
        let output = scratch.appendingPathComponent("out/BuildInfo.swift")
        try run(["sh", script, package.path, output.path], in: scratch)
        let text = try String(contentsOf: output, encoding: .utf8)
        func value(_ name: String) throws -> String {
            let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("static let \(name) = ") }, text)
            return String(line.split(separator: "=", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return (try value("gitCommit"), try value("gitDirty"))
    }

    func testAPackageWithoutGitIsUnknown() throws {
        let package = try makePackage("tarball")
        let info = try buildInfo(of: package)
        XCTAssertEqual(info.commit, "unknown")
        XCTAssertEqual(info.dirty, "false")
    }

    func testACheckoutGivesItsHeadAndWhetherSourcesChanged() throws {
        let package = try makePackage("clone")
        try run(["git", "init", "-q"], in: package)
        try commitAll(in: package)
        let head = try run(["git", "rev-parse", "HEAD"], in: package)
        XCTAssertEqual(try buildInfo(of: package).commit, head)
        XCTAssertEqual(try buildInfo(of: package).dirty, "false")

        // Untracked files and changes outside Sources/ and Package.swift do not count.
        try "new\n".write(to: package.appendingPathComponent("Sources/new.swift"), atomically: true, encoding: .utf8)
        try "notes\n".write(to: package.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try buildInfo(of: package).dirty, "false")

        try "let a = 2\n".write(to: package.appendingPathComponent("Sources/a.swift"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try buildInfo(of: package).dirty, "true")
        try commitAll(in: package)
        let next = try buildInfo(of: package)
        XCTAssertEqual(next.commit, try run(["git", "rev-parse", "HEAD"], in: package))
        XCTAssertNotEqual(next.commit, head)
        XCTAssertEqual(next.dirty, "false")
    }

    func testAPackageUnpackedInsideAnotherRepositoryIsUnknown() throws {
        try run(["git", "init", "-q"], in: scratch)
        let package = try makePackage("vendor/rnnlab")
        try commitAll(in: scratch)
        XCTAssertEqual(try buildInfo(of: package).commit, "unknown", "the enclosing repository's commit is not the package's")
    }

    func testAnUnchangedFileIsNotRewritten() throws {
        let package = try makePackage("same")
        let output = scratch.appendingPathComponent("out/BuildInfo.swift")
        _ = try buildInfo(of: package)
        let past = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: output.path)
        _ = try buildInfo(of: package)
        let modified = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: output.path)[.modificationDate] as? Date)
        XCTAssertEqual(modified, past, "rewriting it would recompile the run store on every build")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["BuildInfo.swift"], "no temporary file is left beside it")
    }
}
