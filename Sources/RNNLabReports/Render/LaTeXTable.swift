import Foundation


/// The comparison table for LaTeX papers, rendered from the collected values.
extension ExperimentReport {
    /// The table for LaTeX papers (booktabs), mean ± std with n.
    public var latexTable: String {
        let tex = Escaping.latex
        var lines = ["\\begin{tabular}{l" + String(repeating: "r", count: metrics.count + 1) + "}", "\\toprule",
                     "Arm & $n$ & " + metrics.map { "test " + tex($0) }.joined(separator: " & ") + " \\\\", "\\midrule"]
        let best = bestArms
        for (index, arm) in arms.enumerated() {
            let cells = metrics.enumerated().map { m, metric -> String in
                let text = cell(arm.values[metric]).replacingOccurrences(of: "±", with: "$\\pm$")
                return m == 0 && best.contains(index) ? "\\textbf{\(text)}" : text
            }
            lines.append("\(tex(arm.arm)) & \(arm.complete) & " + cells.joined(separator: " & ") + " \\\\")
        }
        let groups = baselineGroups(missing: "--")
        if !groups.isEmpty { lines.append("\\midrule") }
        for group in groups {
            let label = groups.count == 1 ? "Trivial baseline" : "Baseline (" + group.members.map { tex(arms[$0].arm) }.joined(separator: "; ") + ")"
            lines.append("\(label) & -- & " + group.values.joined(separator: " & ") + " \\\\")
        }
        lines += ["\\bottomrule", "\\end{tabular}"]
        return lines.joined(separator: "\n")
    }
}
