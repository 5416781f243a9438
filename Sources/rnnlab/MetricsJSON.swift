/// Formats a dictionary of metrics as sorted JSON.
func metricsJSON(_ metrics: [String: Double]) -> String {
    "{" + metrics.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value.isFinite ? "\($0.value)" : "null")" }
        .joined(separator: ", ") + "}"
}
