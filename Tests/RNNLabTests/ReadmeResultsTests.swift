import Foundation
import XCTest

/// The README's "Results so far" quotes tables from the committed reports; they must be copies, not typed-in numbers.
final class ReadmeResultsTests: XCTestCase {
    private let package = CLI.packageDirectory

    /// Every table of the section appears, line for line and in one piece, in the report linked last before it.
    func testQuotedTablesAreVerbatimCopiesOfTheLinkedReports() throws {
        let readme = try String(contentsOf: package.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(self.section(named: "## Results so far", in: readme))
        var linkedReport: String?
        var table: [String] = []
        var checked = 0
        func finishTable() throws {
            defer { table = [] }
            guard !table.isEmpty else { return }
            let path = try XCTUnwrap(linkedReport, "a table comes before any report link: \(table[0])")
            let report = try String(contentsOf: package.appendingPathComponent(path), encoding: .utf8)
            XCTAssertTrue(report.contains(table.joined(separator: "\n") + "\n"),
                          "README.md quotes a table that \(path) does not contain verbatim:\n\(table.joined(separator: "\n"))")
            checked += 1
        }
        for line in section.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") { table.append(line); continue }
            try finishTable()
            if let link = line.range(of: #"\(results/[^)]+/REPORT\.md\)"#, options: .regularExpression) {
                linkedReport = String(line[link].dropFirst().dropLast())
            }
        }
        try finishTable()
        XCTAssertGreaterThan(checked, 0, "the section quotes no table")
    }

    /// Declared experiments whose records and reports are not committed yet (the index leaves out experiments with
    /// no report folder). Once one is reported, it must leave this list.
    static let awaitingReports: Set = ["tcn-vs-rnn", "transformer-vs-rnn", "fashion-mnist-sequential"]

    /// The index the README points to has a line for every declared experiment (but those awaiting their first
    /// report) and a link that resolves.
    func testResultsIndexHasEveryDeclaredExperiment() throws {
        let index = try String(contentsOf: package.appendingPathComponent("results/README.md"), encoding: .utf8)
        let experiments = try FileManager.default.contentsOfDirectory(atPath: package.appendingPathComponent("experiments").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }
        XCTAssertFalse(experiments.isEmpty)
        for name in experiments where Self.awaitingReports.contains(name) {
            XCTAssertFalse(FileManager.default.fileExists(atPath: package.appendingPathComponent("results/\(name)").path),
                           "results/\(name) exists: remove \(name) from awaitingReports")
            XCTAssertFalse(index.contains("[\(name)/REPORT.md]"), "results/README.md lists \(name), which has no report")
        }
        for name in experiments where !Self.awaitingReports.contains(name) {
            XCTAssertTrue(index.contains("[\(name)/REPORT.md](\(name)/REPORT.md)"), "results/README.md has no line for \(name)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: package.appendingPathComponent("results/\(name)/REPORT.md").path),
                          "results/\(name)/REPORT.md is missing")
        }
    }

    private func section(named heading: String, in text: String) -> String? {
        guard let start = text.range(of: heading + "\n") else { return nil }
        let rest = text[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }
}
