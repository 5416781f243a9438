import Foundation
import XCTest

/// `docs/tutorial.md` runs: its `sh` blocks, in order, in one `bash -e` session, in a fresh project folder with a
/// generated `corpus.txt`; its `python` block is checked for syntax and against the run file's datasets.
final class TutorialTests: XCTestCase {
    static let tutorial = CLI.packageDirectory.appendingPathComponent("docs/tutorial.md")

    /// The fenced blocks of a Markdown file with their language.
    static func blocks(of markdown: String) -> [(language: String, body: String)] {
        var blocks: [(String, String)] = [], language: String?, body: [Substring] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if let open = language {
                if line == "```" { blocks.append((open, body.joined(separator: "\n"))); language = nil; body = [] } else { body.append(line) }
            } else if line.hasPrefix("```") {
                language = String(line.dropFirst(3))
            }
        }
        return blocks
    }

    func testTheTutorialRunsOnAGeneratedCorpus() throws {
        let cli = try CLI(for: self)
        let work = cli.workDirectory
        // About 8 kB of sentences from a small grammar, so the models have something to learn.
        let subjects = ["the cat", "a dog", "my friend", "the old man", "her sister"], verbs = ["sees", "likes", "finds", "follows"]
        let objects = ["the moon", "a red ball", "the river", "some bread", "the garden"]
        var seed: UInt64 = 7
        func pick(_ words: [String]) -> String {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return words[Int((seed >> 33) % UInt64(words.count))]
        }
        let corpus = (0..<300).map { _ in "\(pick(subjects)) \(pick(verbs)) \(pick(objects))." }.joined(separator: "\n") + "\n"
        try corpus.write(to: work.appendingPathComponent("corpus.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: CLI.packageDirectory.appendingPathComponent(".gitignore"), to: work.appendingPathComponent(".gitignore"))
        for command in [["init", "-q"], ["config", "user.email", "tutorial@example.org"], ["config", "user.name", "Tutorial"]] {
            XCTAssertEqual(try CLI.system(["git", "-C", work.path] + command).status, 0)
        }

        let blocks = Self.blocks(of: try String(contentsOf: Self.tutorial, encoding: .utf8))
        let script = blocks.filter { $0.language == "sh" }.map(\.body).joined(separator: "\n")
        XCTAssertGreaterThanOrEqual(blocks.filter { $0.language == "sh" }.count, 7)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = try CLI.binary().deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let (status, output) = try CLI.process(URL(fileURLWithPath: "/bin/bash"), ["-e", "-o", "pipefail", "-c", script], in: work,
                                               environment: environment, standardError: true)
        XCTAssertEqual(status, 0, output)

        // 2: validation; 3: the runs and their TensorBoard logs; 4: the report with its test.
        XCTAssertTrue(output.contains("ok experiments/my-corpus.yaml (6 runs)"), output)
        let boards = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("tensorboard").path).sorted()
        XCTAssertEqual(boards, ["model.cell=gru_seed1", "model.cell=gru_seed2", "model.cell=gru_seed3",
                                "model.cell=lstm_seed1", "model.cell=lstm_seed2", "model.cell=lstm_seed3"])
        XCTAssertTrue(output.contains("my-corpus: 6 runs — 6 complete"), output)
        let report = try String(contentsOf: work.appendingPathComponent("results/my-corpus/REPORT.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("| `model.cell=lstm` | 3/3 |") || report.contains("| **`model.cell=lstm`** | 3/3 |"), report)
        XCTAssertTrue(report.contains("No significant difference between") || report.contains("**"), report)
        XCTAssertTrue(report.contains("minimum detectable difference"), report)
        // 5: a sample that continues the prime; 6: the weights the PyTorch snippet reads.
        XCTAssertTrue(output.contains("\nthe "), output)
        for name in ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "decoder.weight", "decoder.bias"] {
            XCTAssertTrue(output.contains("/weights/final/\(name) "), "\(name) in the h5ls output:\n\(output)")
        }
        let python = try XCTUnwrap(blocks.first { $0.language == "python" }?.body)
        XCTAssertTrue(python.contains("f[\"config\"]") && python.contains("f[\"weights/final\"]"))
        let parsed = try CLI.system(["python3", "-c", "import ast, sys; ast.parse(sys.argv[1]); print('parsed')", python])
        XCTAssertEqual(parsed.output, "parsed")
        // 7: pinning the checksum keeps the run ids; the comparison is committed without run files.
        XCTAssertEqual(output.components(separatedBy: "my-corpus: 6 runs — 6 complete").count, 3, "status before and after the pin: \(output)")
        let committed = try CLI.system(["git", "-C", work.path, "ls-files"])
        XCTAssertTrue(committed.output.contains("experiments/my-corpus.yaml") && committed.output.contains("results/my-corpus/REPORT.md"), committed.output)
        XCTAssertEqual(committed.output.split(separator: "\n").filter { $0.hasPrefix("results/my-corpus/runs/") && $0.hasSuffix(".json") }.count, 6)
        XCTAssertFalse(committed.output.contains(".h5"), committed.output)
        XCTAssertTrue(try String(contentsOf: work.appendingPathComponent("experiments/my-corpus.yaml"), encoding: .utf8)
            .contains("sha256: \(try CLI.system(["sha256sum", work.appendingPathComponent("corpus.txt").path]).output.prefix(64))"))
        // 8: the job array of the 4 new runs.
        XCTAssertTrue(output.contains("my-corpus: 10 runs (6 complete, 4 missing); 4 to submit") || output.contains("4 to submit"), output)
        let array = try String(contentsOf: work.appendingPathComponent("results/my-corpus/slurm/array.sbatch"), encoding: .utf8)
        XCTAssertTrue(array.contains("#SBATCH --array=0-3"), array)
        XCTAssertTrue(array.contains("#SBATCH --partition=short"), array)
    }
}
