import Foundation

/// How the reports print numbers.
extension ExperimentReport {
    /// "mean ± std" over seeds rounded by `UncertaintyFormatting` (111.2 ± 0.2), just the value for one seed,
    /// "–" for none.
    func cell(_ values: [Double]?) -> String {
        guard let parts = cellParts(values) else { return "–" }
        return parts.std.map { "\(parts.mean) ± \($0)" } ?? parts.mean
    }

    /// The mean and (for more than one value) the std of a cell as printed.
    func cellParts(_ values: [Double]?) -> (mean: String, std: String?)? {
        guard let values, let s = SeedStatistics.meanAndStd(values) else { return nil }
        guard values.count > 1 else { return (format(s.mean), nil) }
        if let rounded = UncertaintyFormatting.meanAndStd(mean: s.mean, std: s.std) { return (rounded.mean, rounded.std) }
        return (format(s.mean), s.std == 0 ? "0" : format(s.std))
    }

    /// A number as the tables print it: 4 decimals, 1 from 100 on, scientific below 0.001 and from 100 000 on.
    func format(_ value: Double) -> String {
        if !value.isFinite { return "\(value)" }
        if value != 0 && (abs(value) >= 100_000 || abs(value) < 0.001) { return String(format: "%.3e", value) }
        return String(format: abs(value) >= 100 ? "%.1f" : "%.4f", value)
    }

    /// A LaTeX table's cell: `$mean \pm std$` over seeds (`$value$` for one seed), in bold math when `bold`,
    /// `--` for none. The digits are those of `cell`, so the LaTeX and the Markdown tables agree.
    func latexCell(_ values: [Double]?, bold: Bool) -> String {
        guard let parts = cellParts(values) else { return "--" }
        let math = latexMath(formatted: parts.mean) + (parts.std.map { " \\pm " + latexMath(formatted: $0) } ?? "")
        return bold ? "\\textbf{\\boldmath$\(math)$}" : "$\(math)$"
    }

    /// A number printed by `format`, as LaTeX math (without the dollars): `3.291e-04` as `3.291\times10^{-4}`,
    /// infinities as `\infty`, not-a-number as `\mathrm{NaN}`; other numbers unchanged.
    func latexMath(formatted number: String) -> String {
        switch number {
        case "nan", "-nan": return "\\mathrm{NaN}"
        case "inf", "+inf": return "\\infty"
        case "-inf": return "-\\infty"
        default: break
        }
        let parts = number.split(separator: "e", maxSplits: 1)
        guard parts.count == 2, let exponent = Int(parts[1]) else { return number }
        return "\(parts[0])\\times10^{\(exponent)}"
    }
}
