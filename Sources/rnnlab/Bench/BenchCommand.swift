import ArgumentParser
import Foundation
import RNNLab
import RNNLabLayers
import RNNLabNumerics

/// `rnnlab bench`: training-step speed of the benchmark configurations.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of a training step.",
        discussion: """
            A training step is the forward pass, full back-propagation through the sequence, global-norm \
            clipping at 5 and an Adam update. Float32, synthetic data, warm-up excluded, median over the \
            repetitions. Prints tokens/s (batch × sequence ÷ step time), ms per step (wall clock), CPU ms \
            per step (all threads, the steadier figure on a busy machine), achieved GEMM GFLOP/s and peak \
            resident memory. Each configuration and cell runs in a fresh child process, so that the peak \
            memory is its own (--in-process runs them all in this one). --scan prints the scan table: \
            training tokens/s of minGRU and minLSTM (parallel scan) against GRU and LSTM at T = 64, 256, \
            1024 and 4096 (one-hot characters, 256 units, batch 8).
            """)

    @Option(help: "BLAS threads.") var threads: Int = 2
    @Option(help: "Run only this configuration (\(BenchConfiguration.known.map(\.name).joined(separator: ", "))).")
    var config: String?
    @Option(help: "Run only this cell (\(CellKind.allCases.map(\.rawValue).joined(separator: ", "))) or baseline (tcn, transformer).")
    var cell: String?
    @Flag(help: "Print the scan table (minGRU/minLSTM against GRU/LSTM by sequence length).") var scan = false
    @Option(help: "Timed repetitions per configuration (at least 5 for published figures).") var repetitions: Int = 5
    @Flag(help: "Also time inference (forward and loss) of every configuration.") var inference = false
    @Flag(help: "Print JSON lines instead of a table.") var json = false
    @Flag(help: "Run every configuration in this process (peak memory is then the largest so far).")
    var inProcess = false

    func validate() throws {
        if let config, !BenchConfiguration.known.contains(where: { $0.name == config }) {
            throw ValidationError("unknown configuration '\(config)'; choose one of \(BenchConfiguration.known.map(\.name).joined(separator: ", "))")
        }
        if let cell, BenchModelKind(name: cell) == nil {
            throw ValidationError("unknown cell '\(cell)'; choose one of \((CellKind.allCases.map(\.rawValue) + ["tcn", "transformer"]).joined(separator: ", "))")
        }
        guard repetitions >= 1, threads >= 1 else { throw ValidationError("--repetitions and --threads must be positive") }
    }

    /// The cells timed by default (beside the TCN and the Transformer): the classic three and one of each new family.
    static let defaultCells: [CellKind] = [.rnnTanh, .lstm, .gru, .indRNN, .lstmPeephole, .minGRU, .minLSTM]

    func run() throws {
        BLAS.setThreads(threads)
        if scan && config == nil && cell == nil { return try runScanTable() }
        let configurations = config.map { name in BenchConfiguration.known.filter { $0.name == name } } ?? BenchConfiguration.all
        let cells: [BenchModelKind] = cell.flatMap(BenchModelKind.init(name:)).map { [$0] }
            ?? Self.defaultCells.map(BenchModelKind.recurrent) + [.tcn, .transformer]
        if !json {
            print("RNNLab \(RNNLabInfo.version) · \(BLAS.configuration) · \(threads) threads · float32 · median of \(repetitions)")
            print(pad("config", 15) + pad("cell", 10) + pad("mode", 10) + pad("tokens/s", 12, right: true)
                  + pad("ms/step", 10, right: true) + pad("CPU ms", 10, right: true)
                  + pad("GFLOP/s", 10, right: true) + pad("peak RSS", 11, right: true))
        }
        let isolate = !inProcess && configurations.count * cells.count > 1
        for configuration in configurations {
            for cell in cells {
                let results = isolate
                    ? try measureInChildProcess(configuration, cell: cell)
                    : measure(configuration, cell: cell)
                for result in results { print(json ? result.jsonLine : row(result)) }
            }
        }
    }

    /// The scan table: training tokens/s by sequence length, each cell in a child process, with the
    /// scan cells' speed-ups over their gated counterparts.
    private func runScanTable() throws {
        let cells = BenchConfiguration.scanCells
        var rows: [(steps: Int, tokens: [CellKind: Int])] = []
        for configuration in BenchConfiguration.scan {
            var tokens: [CellKind: Int] = [:]
            for cell in cells {
                let results = inProcess ? measure(configuration, cell: .recurrent(cell)) : try measureInChildProcess(configuration, cell: .recurrent(cell))
                if json { for result in results { print(result.jsonLine) } }
                tokens[cell] = results.first { $0.mode == "train" }?.tokensPerSecond
            }
            rows.append((configuration.steps, tokens))
        }
        guard !json else { return }
        print("RNNLab \(RNNLabInfo.version) · \(BLAS.configuration) · \(threads) threads · float32 · median of \(repetitions)")
        print("Training tokens/s (forward, backward through the whole sequence, clipping, Adam); one-hot 65, 256 units, batch 8")
        print(pad("T", 7) + cells.map { pad($0.rawValue, 11, right: true) }.joined()
              + pad("min_gru/gru", 13, right: true) + pad("min_lstm/lstm", 15, right: true))
        for row in rows {
            func ratio(_ a: CellKind, _ b: CellKind) -> String {
                guard let x = row.tokens[a], let y = row.tokens[b], y > 0 else { return "–" }
                return String(format: "%.2f×", Double(x) / Double(y))
            }
            print(pad(String(row.steps), 7) + cells.map { pad(row.tokens[$0].map(String.init) ?? "–", 11, right: true) }.joined()
                  + pad(ratio(.minGRU, .gru), 13, right: true) + pad(ratio(.minLSTM, .lstm), 15, right: true))
        }
    }


    /// One line of results, as printed with `--json`.
    struct Result {
        var config: String, cell: String, mode: String, threads: Int, tokensPerSecond: Int
        var msPerStep: Double, cpuMsPerStep: Double, gemmGFlops: Double, peakResidentMiB: Double

        var jsonLine: String {
            "{\"config\":\"\(config)\",\"cell\":\"\(cell)\",\"mode\":\"\(mode)\","
                + "\"threads\":\(threads),\"tokens_per_second\":\(tokensPerSecond),\"ms_per_step\":\(String(format: "%.3f", msPerStep)),"
                + "\"cpu_ms_per_step\":\(String(format: "%.3f", cpuMsPerStep)),"
                + "\"gemm_gflops\":\(String(format: "%.1f", gemmGFlops)),\"peak_rss_mib\":\(String(format: "%.1f", peakResidentMiB))}"
        }

        init(config: String, cell: String, mode: String, threads: Int, tokensPerSecond: Int, msPerStep: Double,
             cpuMsPerStep: Double, gemmGFlops: Double, peakResidentMiB: Double) {
            (self.config, self.cell, self.mode, self.threads, self.tokensPerSecond) = (config, cell, mode, threads, tokensPerSecond)
            (self.msPerStep, self.cpuMsPerStep, self.gemmGFlops, self.peakResidentMiB) = (msPerStep, cpuMsPerStep, gemmGFlops, peakResidentMiB)
        }

        /// Parses a line printed by `jsonLine`.
        init?(jsonLine: Substring) {
            guard let data = jsonLine.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let config = object["config"] as? String, let cell = object["cell"] as? String,
                  let mode = object["mode"] as? String, let threads = object["threads"] as? Int,
                  let tokens = object["tokens_per_second"] as? Int else { return nil }
            func number(_ key: String) -> Double { (object[key] as? NSNumber)?.doubleValue ?? 0 }
            self.init(config: config, cell: cell, mode: mode, threads: threads, tokensPerSecond: tokens,
                      msPerStep: number("ms_per_step"), cpuMsPerStep: number("cpu_ms_per_step"),
                      gemmGFlops: number("gemm_gflops"), peakResidentMiB: number("peak_rss_mib"))
        }
    }

    /// Times one configuration and cell in this process.
    private func measure(_ configuration: BenchConfiguration, cell: BenchModelKind) -> [Result] {
        let model = BenchModel(configuration, kind: cell)
        var results: [Result] = []
        for training in inference ? [true, false] : [true] {
            model.step(train: training)   // warm-up: allocates every workspace
            var times: [Double] = [], cpuTimes: [Double] = []
            for _ in 0..<repetitions {
                let (start, cpuStart) = (DispatchTime.now().uptimeNanoseconds, Self.processCPUSeconds())
                model.step(train: training)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpuTimes.append(Self.processCPUSeconds() - cpuStart)
            }
            let median = times.sorted()[times.count / 2]
            let tokens = Double(configuration.batch * configuration.steps) / median
            let gflops = configuration.gemmFlops(kind: cell, includeBackward: training) / median / 1e9
            results.append(Result(config: configuration.name, cell: cell.name, mode: training ? "train" : "inference",
                                  threads: threads, tokensPerSecond: Int(tokens), msPerStep: median * 1000,
                                  cpuMsPerStep: cpuTimes.sorted()[cpuTimes.count / 2] * 1000,
                                  gemmGFlops: gflops, peakResidentMiB: Self.peakResidentMiB()))
        }
        return results
    }

    /// Times one configuration and cell in a fresh `rnnlab bench` process, so that its peak memory is its own.
    private func measureInChildProcess(_ configuration: BenchConfiguration, cell: BenchModelKind) throws -> [Result] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["bench", "--config", configuration.name, "--cell", cell.name, "--threads", String(threads),
                           "--repetitions", String(repetitions), "--json"] + (inference ? ["--inference"] : [])
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("{") }
        let results = lines.compactMap(Result.init(jsonLine:))
        guard child.terminationStatus == 0, !results.isEmpty, results.count == lines.count else {
            throw BenchFailure(description: "the benchmark of \(configuration.name) \(cell.name) failed in its child process (exit status \(child.terminationStatus))")
        }
        return results
    }

    private func row(_ r: Result) -> String {
        pad(r.config, 15) + pad(r.cell, 10) + pad(r.mode, 10)
            + pad(String(r.tokensPerSecond), 12, right: true) + pad(String(format: "%.2f", r.msPerStep), 10, right: true)
            + pad(String(format: "%.2f", r.cpuMsPerStep), 10, right: true)
            + pad(String(format: "%.1f", r.gemmGFlops), 10, right: true) + pad(String(format: "%.0f MiB", r.peakResidentMiB), 11, right: true)
    }

    /// CPU time of the whole process (every thread) so far, in seconds.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// Peak resident set size of this process (VmHWM), in MiB.
    static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }
}

/// A benchmark child process that failed or printed no result.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
}
