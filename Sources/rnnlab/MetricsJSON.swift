import RNNLabRunStore

/// Formats a dictionary of metrics as sorted JSON; infinite and NaN values are the strings of `JSONCoding`
/// ("inf", "-inf", "nan"), so `JSONCoding.decoder()` reads them back.
func metricsJSON(_ metrics: [String: Double]) -> String {
    "{" + metrics.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \(number($0.value))" }.joined(separator: ", ") + "}"
}

private func number(_ value: Double) -> String {
    if value.isNaN { return "\"\(JSONCoding.notANumber)\"" }
    if value.isInfinite { return "\"\(value > 0 ? JSONCoding.positiveInfinity : JSONCoding.negativeInfinity)\"" }
    return "\(value)"
}
