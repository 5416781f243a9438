import Foundation
import RNNLabExperiments
@testable import RNNLabReports

/// Reports built by hand for the plot tests: no run files, no tasks, no models.
enum PlotFixtures {
    static func experiment(title: String, task: String, metric: String, direction: String, columns: String = "[]") throws -> Experiment {
        try Experiment.parse("""
            name: plots
            title: "\(title)"
            description: Arms built by hand.
            task: \(task)
            model: {cell: lstm, hidden_size: 4}
            training:
              epochs: 5
              batch_size: 10
              optimizer: {kind: adam, learning_rate: 0.01}
            seeds: 3
            report: {metric: \(metric), direction: \(direction), columns: \(columns), plots: [curves, grad_norm]}
            """, file: "experiments/plots.yaml")
    }

    /// Values of a run that shrink from `start` to `end` over `count` points, geometrically, scaled by `factor`.
    static func decay(from start: Double, to end: Double, count: Int, factor: Double) -> [Double] {
        (0..<count).map { i in factor * start * pow(end / start, Double(i) / Double(max(count - 1, 1))) }
    }

    /// Three groups (T = 50, 100, 200) of two arms each, three seeds, MSE around 0.01–0.17.
    static func threeGroups() throws -> ExperimentReport {
        var arms: [ExperimentReport.ArmSummary] = []
        for (g, length) in [50, 100, 200].enumerated() {
            for (c, cell) in ["LSTM", "GRU"].enumerated() {
                let level = 0.01 * Double(1 + g) * Double(2 + c)
                let values = [level, level * 1.3, level * 0.8]
                let runs = (0..<3).map { decay(from: 0.17, to: values[$0], count: 20, factor: 1) }
                var curves: [Int: [Double]] = [:], norms: [Int: [Double]] = [:]
                for epoch in 1...20 { curves[epoch] = runs.map { $0[epoch - 1] } }
                for step in stride(from: 0, through: 2000, by: 100) { norms[step] = [0.5, 0.8, 1.2].map { $0 + Double(step) / 1000 } }
                arms.append(ExperimentReport.ArmSummary(
                    arm: "\(cell), T = \(length)", planned: 3, complete: 3, diverged: 0, values: ["mse": values], curves: curves,
                    gradientNorms: norms, baseline: ["mse": [0.1667, 0.1702, 0.1651][g]],
                    settings: [("label", "\(cell), T = \(length)"), ("model.cell", cell.lowercased()), ("task.length", "\(length)")]))
            }
        }
        return ExperimentReport(experiment: try experiment(title: "The adding problem at T = 50, 100, 200",
                                                          task: "{kind: adding, length: 50, training_examples: 50, evaluation_examples: 10}",
                                                          metric: "mse", direction: "lower", columns: "[mae]"),
                                profile: nil, arms: arms, totalSeconds: 10)
    }

    /// One group whose MSE spans 1e-5 … 0.2 (three arms, one of them with a single run).
    static func logMetric() throws -> ExperimentReport {
        let finals: [(String, [Double])] = [("tanh RNN", [0.15, 0.2, 0.18]), ("GRU", [0.003, 0.001, 0.01]), ("LSTM", [2e-5, 1e-5, 4e-5]),
                                            ("IRNN", [0.05])]
        let arms = finals.map { name, values in
            var curves: [Int: [Double]] = [:]
            let runs = values.map { decay(from: 0.2, to: $0, count: 30, factor: 1) }
            for epoch in 1...30 { curves[epoch] = runs.map { $0[epoch - 1] } }
            return ExperimentReport.ArmSummary(arm: name, planned: 3, complete: values.count, diverged: 0, values: ["mse": values],
                                               curves: curves, gradientNorms: [0: [1e-3, 2e-3], 500: [5, 8], 1000: [0.2, 0.3]],
                                               baseline: ["mse": 0.1667], settings: [("model.cell", name)])
        }
        return ExperimentReport(experiment: try experiment(title: "Long-range MSE",
                                                          task: "{kind: adding, length: 50, training_examples: 50, evaluation_examples: 10}",
                                                          metric: "mse", direction: "lower"),
                                profile: nil, arms: arms, totalSeconds: 10)
    }

    static let longTitle = "Copy memory with delays of many steps: which recurrent cells, initialisations and learning rates "
        + "still carry the remembered symbols across the whole delay, and how reliably over seeds"

    /// One group of twelve arms with long labels under a long title; accuracy (higher is better); one arm with a
    /// single run and one with none.
    static func twelveArms() throws -> ExperimentReport {
        let cells = ["rnn_tanh", "rnn_relu", "lstm", "gru"], rates = ["0.01", "0.001", "0.0001"]
        var arms: [ExperimentReport.ArmSummary] = []
        for (c, cell) in cells.enumerated() {
            for (r, rate) in rates.enumerated() {
                let index = arms.count
                let base = 0.5 + 0.04 * Double(c * 3 + r)
                let values = index == 4 ? [base] : index == 7 ? [] : [base, base + 0.02, base - 0.015]
                var curves: [Int: [Double]] = [:]
                for epoch in 1...15 { curves[epoch] = values.map { $0 * (1 - 0.5 * exp(-Double(epoch) / 4)) } }
                let label = "model.cell=\(cell), training.optimizer.learning_rate=\(rate)"
                arms.append(ExperimentReport.ArmSummary(arm: label, planned: 3, complete: values.count, diverged: 0, values: ["accuracy": values],
                                                        curves: curves, baseline: ["accuracy": 0.1],
                                                        settings: [("model.cell", cell), ("training.optimizer.learning_rate", rate)]))
            }
        }
        return ExperimentReport(experiment: try experiment(title: longTitle,
                                                          task: "{kind: copy_memory, delay: 10, training_examples: 50, evaluation_examples: 10}",
                                                          metric: "accuracy", direction: "higher"),
                                profile: nil, arms: arms, totalSeconds: 10)
    }
}
