import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments

/// `rnnlab bench`: training-step speed of the benchmark configurations.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of a training step.",
        discussion: """
            A training step is the forward pass, full back-propagation through the sequence, global-norm \
            clipping at 5 and an Adam update. Float32, synthetic data, warm-up excluded, median over the \
            repetitions. Prints tokens/s (batch × sequence ÷ step time), ms per step, achieved GEMM GFLOP/s \
            and the process's peak resident memory so far.
            """)

    @Option(help: "BLAS threads.") var threads: Int = 2
    @Option(help: "Run only this configuration (\(BenchConfiguration.all.map(\.name).joined(separator: ", "))).")
    var config: String?
    @Option(help: "Run only this cell (rnn_tanh, rnn_relu, lstm, gru).") var cell: String?
    @Option(help: "Timed repetitions per configuration (at least 5 for published figures).") var repetitions: Int = 5
    @Flag(help: "Also time inference (forward and loss) of every configuration.") var inference = false
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func validate() throws {
        if let config, !BenchConfiguration.all.contains(where: { $0.name == config }) {
            throw ValidationError("unknown configuration '\(config)'; choose one of \(BenchConfiguration.all.map(\.name).joined(separator: ", "))")
        }
        if let cell, CellKind(rawValue: cell) == nil {
            throw ValidationError("unknown cell '\(cell)'; choose one of \(CellKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard repetitions >= 1, threads >= 1 else { throw ValidationError("--repetitions and --threads must be positive") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        let configurations = BenchConfiguration.all.filter { config == nil || $0.name == config }
        let cells: [CellKind] = cell.flatMap(CellKind.init(rawValue:)).map { [$0] } ?? [.rnnTanh, .lstm, .gru]
        if !json {
            print("RNNLab \(RNNLabInfo.version) · \(BLAS.configuration) · \(threads) threads · float32 · median of \(repetitions)")
            print(pad("config", 15) + pad("cell", 10) + pad("mode", 10) + pad("tokens/s", 12, right: true)
                  + pad("ms/step", 10, right: true) + pad("GFLOP/s", 10, right: true) + pad("peak RSS", 11, right: true))
        }
        for configuration in configurations {
            for cell in cells {
                let model = BenchModel(configuration, cell: cell)
                for training in inference ? [true, false] : [true] {
                    model.step(train: training)   // warm-up: allocates every workspace
                    var times: [Double] = []
                    for _ in 0..<repetitions {
                        let start = DispatchTime.now().uptimeNanoseconds
                        model.step(train: training)
                        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    }
                    let median = times.sorted()[times.count / 2]
                    let tokens = Double(configuration.batch * configuration.steps) / median
                    let gflops = configuration.gemmFlops(cell: cell, includeBackward: training) / median / 1e9
                    let rss = Self.peakResidentMiB()
                    let mode = training ? "train" : "inference"
                    if json {
                        print("{\"config\":\"\(configuration.name)\",\"cell\":\"\(cell.rawValue)\",\"mode\":\"\(mode)\","
                              + "\"threads\":\(threads),\"tokens_per_second\":\(Int(tokens)),\"ms_per_step\":\(String(format: "%.3f", median * 1000)),"
                              + "\"gemm_gflops\":\(String(format: "%.1f", gflops)),\"peak_rss_mib\":\(String(format: "%.1f", rss))}")
                    } else {
                        print(pad(configuration.name, 15) + pad(cell.rawValue, 10) + pad(mode, 10)
                              + pad(String(Int(tokens)), 12, right: true) + pad(String(format: "%.2f", median * 1000), 10, right: true)
                              + pad(String(format: "%.1f", gflops), 10, right: true) + pad(String(format: "%.0f MiB", rss), 11, right: true))
                    }
                }
            }
        }
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
