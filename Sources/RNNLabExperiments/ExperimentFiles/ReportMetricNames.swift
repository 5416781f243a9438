import RNNLabData
import RNNLabTasks

/// The metric names an experiment file's `report` and `reference` sections use,
/// with their positions, checked against the metrics its tasks declare
/// (`TaskSpecification.metrics`) once every run is planned.
struct ReportMetricNames {
    /// `report.metric`, if the file names it (else the primary metric is `loss`).
    var primary: (name: String, position: SourcePosition)?
    /// `report.direction`, if the file states it (true: lower is better).
    var direction: (lowerIsBetter: Bool, position: SourcePosition)?
    /// The other names: `report.columns`, `report.success.metric`, `reference.metric`.
    var named: [(key: String, name: String, position: SourcePosition)] = []

    /// Checks every name against the tasks of the planned runs; returns whether
    /// lower is better for the primary metric (stated in the file or, if not, as declared).
    /// `position` is where to report a primary metric the file leaves to its default.
    func check(against tasks: [TaskSpecification], at position: SourcePosition) throws -> Bool {
        var kinds: [String] = []
        var declarations: [[MetricDefinition]] = []
        for task in tasks where !kinds.contains(task.kindName) {
            kinds.append(task.kindName)
            declarations.append(task.metrics)
        }
        let primaryName = primary?.name ?? "loss"
        let primaryDefinition = try definition(of: primaryName, key: "report.metric", at: primary?.position ?? position,
                                               kinds: kinds, declarations: declarations)
        for (key, name, at) in named { _ = try definition(of: name, key: key, at: at, kinds: kinds, declarations: declarations) }
        guard let direction else { return primaryDefinition.lowerIsBetter }
        guard direction.lowerIsBetter == primaryDefinition.lowerIsBetter else {
            let stated = direction.lowerIsBetter ? "lower" : "higher", declared = primaryDefinition.lowerIsBetter ? "lower" : "higher"
            throw ExperimentError(position: direction.position, key: "report.direction",
                                  message: "'\(stated)' contradicts the metric '\(primaryName)', for which \(declared) is better "
                                  + "(the direction follows from the metric: leave it out or write \(declared))")
        }
        return direction.lowerIsBetter
    }

    /// The declaration of `name`, which every task kind must declare (the first kind's, for its direction).
    private func definition(of name: String, key: String, at position: SourcePosition, kinds: [String],
                            declarations: [[MetricDefinition]]) throws -> MetricDefinition {
        var found: MetricDefinition?
        for (kind, metrics) in zip(kinds, declarations) {
            guard let definition = metrics.first(where: { $0.matches(name) }) else {
                let names = metrics.map(\.name)
                let hint = nearest(name, in: names).map { "; did you mean '\($0)'?" } ?? ""
                throw ExperimentError(position: position, key: key,
                                      message: "'\(name)' is not a metric of \(kind) (metrics: \(names.joined(separator: ", ")))\(hint)")
            }
            found = found ?? definition
        }
        guard let found else {
            throw ExperimentError(position: position, key: key, message: "no planned run to take the metric '\(name)' from")
        }
        return found
    }
}
