import Foundation
import RNNLabExperiments
import XCTest

/// The batch scripts of `rnnlab slurm` (their submission is tested for real by `make test-slurm`).
final class SlurmBatchTests: XCTestCase {
    let environment = SlurmEnvironment(executable: "/opt/rnnlab/.build/release/rnnlab", workingDirectory: "/home/u/project",
                                       experimentFile: "/home/u/project/experiments/cells.yaml", results: "/scratch/u/results",
                                       dataDirectory: "/scratch/u/data", dataMirror: "/shared/mirror",
                                       lockSettings: ["RNNLAB_STALE_AFTER_SECONDS": "600"])

    func plan() throws -> [PlannedRun] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cells.yaml")
        try """
        name: cells
        task: {kind: adding, length: 10}
        model: {cell: gru, hidden_size: 8}
        training: {epochs: 2, optimizer: {kind: adam, learning_rate: 0.01}}
        compare: {model.cell: [rnn_tanh, lstm, gru]}
        seeds: 2
        report: {metric: mse}
        profiles: {smoke: {training.epochs: 1}}
        """.write(to: file, atomically: true, encoding: .utf8)
        return try Experiment.load(path: file.path).plan()
    }

    func testArrayScriptHasOneTaskPerRemainingRunInOrder() throws {
        let runs = Array(try plan().dropFirst(2))   // as if the first two were complete
        let batch = try SlurmBatch(experiment: "cells", runs: runs, profile: "smoke", environment: environment,
                                   options: SlurmOptions(partition: "short", time: "01:30:00", cpusPerTask: 4, arrayLimit: 2,
                                                         extraArguments: ["--account=abc", "--requeue"]))
        let lines = batch.arrayScript.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "#!/bin/bash")
        XCTAssertTrue(lines.contains("#SBATCH --array=0-3%2"), batch.arrayScript)
        XCTAssertTrue(lines.contains("#SBATCH --output=/scratch/u/results/cells/slurm/array-%A_%a.out"))
        XCTAssertTrue(lines.contains("#SBATCH --chdir=/home/u/project"))
        XCTAssertTrue(lines.contains("#SBATCH --cpus-per-task=4"))
        XCTAssertTrue(lines.contains("#SBATCH --partition=short"))
        XCTAssertTrue(lines.contains("#SBATCH --time=01:30:00"))
        XCTAssertTrue(lines.contains("#SBATCH --account=abc") && lines.contains("#SBATCH --requeue"))
        XCTAssertTrue(lines.contains("export OPENBLAS_NUM_THREADS=4"))
        XCTAssertTrue(lines.contains("export RNNLAB_DATA=/scratch/u/data"))
        XCTAssertTrue(lines.contains("export RNNLAB_DATA_MIRROR=/shared/mirror"))
        XCTAssertTrue(lines.contains("export RNNLAB_STALE_AFTER_SECONDS=600"))
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        let firstCommand = try XCTUnwrap(lines.firstIndex { !$0.hasPrefix("#") && !$0.isEmpty })
        XCTAssertFalse(lines[firstCommand...].contains { $0.hasPrefix("#SBATCH") })
        // The task list: the remaining runs, in order, indexed by SLURM_ARRAY_TASK_ID.
        let listed = lines.drop { $0 != "runs=(" }.dropFirst().prefix { $0 != ")" }
            .map { String($0.trimmingCharacters(in: .whitespaces).prefix(16)) }
        XCTAssertEqual(listed, runs.map(\.runID))
        XCTAssertEqual(batch.runIDs, runs.map(\.runID))
        XCTAssertTrue(lines.contains("run=${runs[$SLURM_ARRAY_TASK_ID]}"))
        XCTAssertEqual(lines.last, "exec /opt/rnnlab/.build/release/rnnlab run /home/u/project/experiments/cells.yaml --run \"$run\" "
                       + "--results /scratch/u/results --data-dir /scratch/u/data --profile smoke --blas-threads 4")
    }

    func testReportJobRunsAfterTheWholeArray() throws {
        let batch = try SlurmBatch(experiment: "cells", runs: try plan(), profile: nil, environment: environment, options: SlurmOptions())
        XCTAssertEqual(batch.arraySubmission, ["--parsable", "/scratch/u/results/cells/slurm/array.sbatch"])
        XCTAssertEqual(batch.reportSubmission(after: "1234"),
                       ["--parsable", "--dependency=afterany:1234", "/scratch/u/results/cells/slurm/report.sbatch"])
        XCTAssertTrue(batch.submitCommands.contains("--dependency=afterany:$array"), batch.submitCommands)
        let lines = batch.reportScript.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("#SBATCH --output=/scratch/u/results/cells/slurm/report-%j.out"))
        XCTAssertTrue(lines.contains("#SBATCH --cpus-per-task=1"))
        XCTAssertFalse(batch.reportScript.contains("--array"))
        XCTAssertEqual(lines.last, "exec /opt/rnnlab/.build/release/rnnlab report /home/u/project/experiments/cells.yaml "
                       + "--results /scratch/u/results", "reports read records only: no data directory")
        XCTAssertTrue(batch.arrayScript.contains("#SBATCH --array=0-5\n"), "no limit: no %")
    }

    func testBadSettingsAreRejectedWithTheOptionNamed() throws {
        let runs = try plan()
        func message(_ options: SlurmOptions, _ environment: SlurmEnvironment? = nil) -> String {
            do {
                _ = try SlurmBatch(experiment: "cells", runs: runs, profile: nil, environment: environment ?? self.environment, options: options)
                return "accepted"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message(SlurmOptions(time: "90 minutes")).contains("--time '90 minutes'"))
        XCTAssertTrue(message(SlurmOptions(cpusPerTask: 0)).contains("--cpus-per-task"))
        XCTAssertTrue(message(SlurmOptions(arrayLimit: 0)).contains("--array-limit"))
        XCTAssertTrue(message(SlurmOptions(extraArguments: ["account=abc"])).contains("--sbatch-arg"))
        var spaced = environment
        spaced.results = "/scratch/my results"
        XCTAssertTrue(message(SlurmOptions(), spaced).contains("white space"))
        for good in ["30", "30:00", "01:30:00", "2-00", "2-12:00", "1-00:00:00"] { XCTAssertTrue(SlurmBatch.isTimeLimit(good), good) }
        for bad in ["", "1:2:3:4", "a:00", "1-", "-1", "1--2"] { XCTAssertFalse(SlurmBatch.isTimeLimit(bad), bad) }
    }

    func testPathsNeedingQuotesAreQuotedForTheShell() throws {
        var quoted = environment
        quoted.executable = "/opt/it's here/rnnlab"
        let batch = try SlurmBatch(experiment: "cells", runs: try plan(), profile: nil, environment: quoted, options: SlurmOptions())
        XCTAssertTrue(batch.arrayScript.contains("exec '/opt/it'\\''s here/rnnlab' run"), batch.arrayScript)
    }
}
