import ArgumentParser
import Foundation
import RNNLabData
import RNNLabExperiments

/// `rnnlab data`: the registered data sets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "List, verify, fetch and add data sets (the built-in ones and the project's own, rnnlab-data.yaml).",
        subcommands: [List.self, Verify.self, Fetch.self, Add.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered data sets and their local state.")
        @OptionGroup var data: DataOptions

        func run() throws {
            let directory = data.directory
            print("data directory: \(directory.root.path)   mirror: \(directory.mirror?.path ?? "(RNNLAB_DATA_MIRROR not set)")")
            for dataSet in DataRegistry.all {
                let states = directory.verify(dataSet).map(\.status)
                let state = states.allSatisfy { $0 == .ok } ? "ok" : states.contains(.missing) ? "missing" : "corrupt"
                let bytes = dataSet.files.reduce(0) { $0 + $1.bytes }
                print("\(dataSet.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(state.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                      + "\(String(format: "%9.1f kB", Double(bytes) / 1000))  \(dataSet.title)")
            }
            let registry = try ProjectDataRegistry.load()
            for (entry, state) in registry.check() {
                let bytes = ((try? FileManager.default.attributesOfItem(atPath: registry.file.deletingLastPathComponent()
                    .appendingPathComponent(entry.path).path))?[.size] as? NSNumber)?.doubleValue
                print("\(entry.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \((state == "ok" ? "ok" : "invalid").padding(toLength: 8, withPad: " ", startingAt: 0)) "
                      + "\(bytes.map { String(format: "%9.1f kB", $0 / 1000) } ?? "        –   ")  \(entry.format) file \(entry.path) (\(ProjectDataRegistry.fileName))"
                      + (state == "ok" ? "" : "\n    \(state)"))
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the SHA-256 of every local file; exit 1 when one is missing or corrupt.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Data sets to verify (default: all).") var names: [String] = []

        func run() throws {
            let directory = data.directory
            var bad = 0
            for dataSet in try names.isEmpty ? DataRegistry.all : names.map(DataRegistry.descriptor(named:)) {
                for (file, status) in directory.verify(dataSet) {
                    print("\(file.relativePath): \(status)")
                    if status != .ok { bad += 1 }
                }
            }
            if bad > 0 { throw ExitCode(1) }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fill the data directory with data sets (from the mirror or by download).")
        @OptionGroup var data: DataOptions
        @Argument(help: "Data sets to fetch (default: all).") var names: [String] = []

        func run() throws {
            let directory = data.directory
            for dataSet in try names.isEmpty ? DataRegistry.all : names.map(DataRegistry.descriptor(named:)) {
                for url in try directory.ensure(dataSet) { print("ok  \(url.path)") }
            }
        }
    }
}
