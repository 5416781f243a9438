import Foundation
import XCTest

/// The real `tensorboard` package from PyPI, in a git-ignored virtual environment at the package root
/// (`.venv-tensorboard`), created once (python3 -m venv, pip install tensorboard) by the first test that needs it.
enum TensorBoardPython {
    static let environment = CLI.packageDirectory.appendingPathComponent(".venv-tensorboard")
    static var python: URL { environment.appendingPathComponent("bin/python") }

    /// The environment's python, after creating the environment if it has no tensorboard yet.
    static func ready() throws -> URL {
        if try run(python.path, ["-c", "import tensorboard"]).status == 0 { return python }
        let created = try run("/usr/bin/env", ["python3", "-m", "venv", environment.path])
        XCTAssertEqual(created.status, 0, "python3 -m venv failed: \(created.output)")
        let installed = try run(environment.appendingPathComponent("bin/pip").path, ["install", "-q", "tensorboard"])
        guard installed.status == 0 else {
            throw TensorBoardPythonError(message: "pip install tensorboard failed (no network to PyPI?): \(installed.output)")
        }
        return python
    }

    /// Every scalar of every run folder under `directory`, read twice: through TensorBoard's `EventAccumulator`
    /// (`values`: folder → tag → [[step, value]]) and event by event through its raw loader, which checks every
    /// record's CRC and keeps duplicates (`events`: folder → tag → steps as written, in order; `files`: event files).
    static func scalars(in directory: URL) throws -> TensorBoardScalars {
        let script = """
            import json, os, sys
            from tensorboard.backend.event_processing import event_accumulator as ea
            from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
            from tensorboard.compat.proto import event_pb2
            root = sys.argv[1]
            out = {"values": {}, "events": {}, "files": {}, "versions": {}}
            for run in sorted(os.listdir(root)):
                folder = os.path.join(root, run)
                acc = ea.EventAccumulator(folder, size_guidance={ea.SCALARS: 0})
                acc.Reload()
                out["values"][run] = {t: [[e.step, e.value] for e in acc.Scalars(t)] for t in acc.Tags()["scalars"]}
                steps, versions = {}, []
                files = sorted(f for f in os.listdir(folder) if f.startswith("events.out.tfevents."))
                out["files"][run] = files
                for name in files:
                    for raw in RawEventFileLoader(os.path.join(folder, name)).Load():
                        event = event_pb2.Event.FromString(raw)
                        if event.file_version: versions.append(event.file_version)
                        for value in event.summary.value:
                            steps.setdefault(value.tag, []).append(event.step)
                out["events"][run] = steps
                out["versions"][run] = versions
            print(json.dumps(out))
            """
        let result = try run(try ready().path, ["-c", script, directory.path])
        guard result.status == 0 else { throw TensorBoardPythonError(message: "reading the event files failed: \(result.output)") }
        return try JSONDecoder().decode(TensorBoardScalars.self, from: Data(result.stdout.utf8))
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, stdout: String) {
        guard FileManager.default.isExecutableFile(atPath: executable) || executable == "/usr/bin/env" else { return (127, "no \(executable)", "") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout + stderr, stdout)
    }
}

/// What `TensorBoardPython.scalars(in:)` read.
struct TensorBoardScalars: Decodable {
    /// folder → tag → [[step, value]] as TensorBoard's EventAccumulator gives them.
    var values: [String: [String: [[Double]]]]
    /// folder → tag → the step of every event holding the tag, as written.
    var events: [String: [String: [Int]]]
    /// folder → event files.
    var files: [String: [String]]
    /// folder → file_version of the events that have one.
    var versions: [String: [String]]
}

struct TensorBoardPythonError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
