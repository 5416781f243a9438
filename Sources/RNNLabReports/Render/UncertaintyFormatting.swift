import Foundation

/// The rounding rule of "mean ± std" cells: the standard deviation is rounded to 1 significant digit, or 2 when that
/// digit would be a 1 (0.176 → 0.2, 0.14 → 0.14, 0.096 → 0.10), and the mean is rounded to the same decimal place
/// (111.2 ± 0.2, 0.782 ± 0.008). Numbers below 0.001 or from 100 000 on are written with the mean's power of ten,
/// shared by both (7.39e-05 ± 5.4e-06 → 7.4e-05 ± 0.5e-05). A standard deviation of 0 or a single run leaves the
/// mean as `ExperimentReport.format` prints it.
public enum UncertaintyFormatting {
    /// The power of ten of the last digit kept for a standard deviation `std` > 0 (e.g. −1 for 0.176, −2 for 0.14).
    public static func lastDigit(ofStd std: Double) -> Int {
        var exponent = Int(floor(log10(std)))
        var leading = (std / pow(10, Double(exponent))).rounded()
        if leading >= 10 { exponent += 1; leading = 1 }
        return leading == 1 ? exponent - 1 : exponent
    }

    /// `value` rounded to the digit 10^`digit`, in fixed notation (no decimals for digit ≥ 0).
    public static func fixed(_ value: Double, digit: Int) -> String {
        let scale = pow(10, Double(digit))
        let rounded = (value / scale).rounded() * scale
        return String(format: "%.\(max(0, -digit))f", rounded == 0 ? 0 : rounded)
    }

    /// `value` rounded to the digit 10^`digit`, written as a mantissa times 10^`exponent` ("0.5e-05").
    public static func scientific(_ value: Double, digit: Int, exponent: Int) -> String {
        fixed(value / pow(10, Double(exponent)), digit: digit - exponent) + String(format: "e%+03d", exponent)
    }

    /// Whether a number is written in scientific notation (as `ExperimentReport.format` does).
    public static func isScientific(_ value: Double) -> Bool {
        value != 0 && (abs(value) >= 100_000 || abs(value) < 0.001)
    }

    /// "mean ± std" by the rule, or nil when the rule does not apply (std 0 or not finite).
    public static func meanAndStd(mean: Double, std: Double) -> (mean: String, std: String)? {
        guard std > 0, std.isFinite, mean.isFinite else { return nil }
        let digit = lastDigit(ofStd: std)
        if isScientific(mean) {
            let exponent = Int(floor(log10(abs(mean))))
            return (scientific(mean, digit: digit, exponent: exponent), scientific(std, digit: digit, exponent: exponent))
        }
        return (fixed(mean, digit: digit), fixed(std, digit: digit))
    }

    /// A difference rounded like a cell whose std is `standardError`, with its sign ("+0.0099", "-3e-05").
    public static func signedDifference(_ difference: Double, standardError: Double) -> String {
        let text: String
        if standardError > 0, standardError.isFinite, difference.isFinite {
            let digit = lastDigit(ofStd: standardError)
            if isScientific(difference) {
                text = scientific(difference, digit: digit, exponent: Int(floor(log10(abs(difference)))))
            } else {
                text = fixed(difference, digit: digit)
            }
        } else {
            text = isScientific(difference) ? String(format: "%.3e", difference) : String(format: "%.4f", difference)
        }
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// A p-value with 2 decimals from 0.1 on ("0.90", "0.21"), else 2 significant digits ("0.043"), "< 0.001" below 0.001.
    public static func pValue(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : String(format: p >= 0.1 ? "%.2f" : "%.2g", p)
    }

    /// "p = 0.21" or "p < 0.001".
    public static func pText(_ p: Double) -> String {
        p < 0.001 ? "p < 0.001" : "p = " + pValue(p)
    }
}
