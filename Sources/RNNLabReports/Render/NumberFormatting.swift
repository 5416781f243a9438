import Foundation

/// How the reports print numbers.
extension ExperimentReport {
    /// "mean ± std" over seeds (just the value for one seed), "–" for none.
    func cell(_ values: [Double]?) -> String {
        guard let values, let s = SeedStatistics.meanAndStd(values) else { return "–" }
        return values.count > 1 ? "\(format(s.mean)) ± \(format(s.std))" : format(s.mean)
    }

    /// A number as the tables print it: 4 decimals, 1 from 100 on, scientific below 0.001 and from 100 000 on.
    func format(_ value: Double) -> String {
        if !value.isFinite { return "\(value)" }
        if value != 0 && (abs(value) >= 100_000 || abs(value) < 0.001) { return String(format: "%.3e", value) }
        return String(format: abs(value) >= 100 ? "%.1f" : "%.4f", value)
    }
}
