import Foundation
import RNNLabExperiments

/// The parts of a report specific to sequence-to-sequence experiments: accuracy
/// against test length (table and plot) and attention heat maps.
extension ExperimentReport {
    /// The lengths N of the `exact_match_len_N` test metrics, ascending (empty for other experiments).
    var reportedLengths: [Int] {
        let names = Set(arms.flatMap { $0.values.keys })
        return names.compactMap { $0.hasPrefix("exact_match_len_") ? Int($0.dropFirst("exact_match_len_".count)) : nil }.sorted()
    }

    /// Exact match (mean ± std over seeds) per arm and test length, in Markdown.
    var lengthTable: String? {
        let lengths = reportedLengths
        guard !lengths.isEmpty else { return nil }
        var lines = ["| arm | " + lengths.map { "n = \($0)" }.joined(separator: " | ") + " |",
                     "|---|" + lengths.map { _ in "---" }.joined(separator: "|") + "|"]
        for arm in arms {
            lines.append("| `\(arm.arm)` | " + lengths.map { cellText(arm.values["exact_match_len_\($0)"]) }.joined(separator: " | ") + " |")
        }
        if let first = arms.first {
            lines.append("| copy the source | " + lengths.map { n in first.baseline["exact_match_len_\(n)"].map { String(format: "%.4f", $0) } ?? "–" }
                .joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// Test exact match against length, mean over seeds with a min–max band.
    var accuracyByLengthSVG: String? {
        let lengths = reportedLengths
        guard !lengths.isEmpty else { return nil }
        return SVGPlot(title: "\(experiment.title): exact match by length", xLabel: "test length", yLabel: "test exact match",
                       series: arms.map { arm in
                           SVGPlot.Series(label: arm.arm, points: lengths.compactMap { n in
                               guard let values = arm.values["exact_match_len_\(n)"], let s = SeedStatistics.meanAndStd(values) else { return nil }
                               return (Double(n), s.mean, values.min() ?? s.mean, values.max() ?? s.mean)
                           })
                       }).render()
    }

    private func cellText(_ values: [Double]?) -> String {
        guard let values, let s = SeedStatistics.meanAndStd(values) else { return "–" }
        return values.count > 1 ? String(format: "%.3f ± %.3f", s.mean, s.std) : String(format: "%.3f", s.mean)
    }

    /// The sequence-to-sequence sections of REPORT.md (empty for other experiments).
    var seq2seqMarkdown: String {
        guard let table = lengthTable else {
            guard !attentionFigures.isEmpty else { return "" }
            var text = "\n## Attention pooling\n\nAttention-pooling weights over the words of test sentences, from the attention "
                + "readout's first complete run.\n\n"
            for figure in attentionFigures { text += "![attention heat map](\(figure.fileName))\n\n\(figure.caption)\n\n" }
            return text
        }
        var text = "\n## Exact match by test length\n\nTest exact match of greedy decoding at the best validation epoch, by the "
            + "length of the test sequences (mean ± std over seeds); training lengths are listed in the configuration.\n\n\(table)\n\n"
            + "![exact match by length](accuracy_by_length.svg)\n"
        if !attentionFigures.isEmpty {
            text += "\n## Attention\n\nAttention weights of greedy decoding on test examples (rows: output tokens, columns: source "
                + "tokens), from each attention arm's first complete run.\n\n"
            for figure in attentionFigures { text += "![attention heat map](\(figure.fileName))\n\n\(figure.caption)\n\n" }
        }
        return text
    }
}
