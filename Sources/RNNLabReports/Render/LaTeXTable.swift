import Foundation


/// The comparison table for LaTeX papers, rendered from the collected values.
extension ExperimentReport {
    /// The table for LaTeX papers: a booktabs `tabular`, one row per arm with n and the test metrics as mean ± std
    /// over seeds (`$0.2000 \pm 0.1414$`, `$3.291\times10^{-4}$`: math mode, so no package beyond booktabs), the
    /// best arm of each group in bold where it beats the runner-up at α = 0.05 (`GroupVerdict`), then the trivial baselines. Names and headers are escaped (`Escaping.latex`).
    /// The first lines are comments naming the experiment and the package the table needs.
    public var latexTable: String {
        let tex = Escaping.latex
        var lines = ["% rnnlab table \(experiment.name): test values, mean $\\pm$ std over seeds; the best arm of each group in bold where it beats the runner-up (Welch, p < 0.05).",
                     "% Needs \\usepackage{booktabs} (\\toprule, \\midrule, \\bottomrule); numbers are in math mode.",
                     "\\begin{tabular}{l" + String(repeating: "r", count: metrics.count + 1) + "}", "\\toprule",
                     "Arm & $n$ & " + metrics.map { "test " + tex($0) }.joined(separator: " & ") + " \\\\", "\\midrule"]
        let best = markedArms
        for (index, arm) in arms.enumerated() {
            let cells = metrics.enumerated().map { m, metric in
                latexCell(arm.values[metric], bold: m == 0 && best.contains(index))
            }
            lines.append("\(tex(arm.arm)) & \(arm.complete) & " + cells.joined(separator: " & ") + " \\\\")
        }
        let missing = "--"
        let groups = baselineGroups(missing: missing)
        if !groups.isEmpty { lines.append("\\midrule") }
        for group in groups {
            let label = groups.count == 1 ? "Trivial baseline" : "Baseline (" + group.members.map { tex(arms[$0].arm) }.joined(separator: "; ") + ")"
            let values = group.values.map { $0 == missing ? missing : "$" + latexMath(formatted: $0) + "$" }
            lines.append("\(label) & -- & " + values.joined(separator: " & ") + " \\\\")
        }
        lines += ["\\bottomrule", "\\end{tabular}"]
        return lines.joined(separator: "\n")
    }
}
