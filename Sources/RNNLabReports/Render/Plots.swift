import RNNLabExperiments

/// The learning-curve and gradient-norm plots, rendered from the collected values: one panel per group of
/// comparable arms (`plotGroups`).
extension ExperimentReport {
    /// The learning-curve plot (validation metric per epoch, mean with a min–max band); its y axis is logarithmic in
    /// a panel whose values span more than two decades.
    public var curvesSVG: String {
        linePlot(title: "\(experiment.title): validation \(experiment.report.metric)", xLabel: "epoch",
                 yLabel: "validation \(experiment.report.metric)", yScale: .automatic, series: \.curves)
    }

    /// The gradient-norm plot (norm before clipping per step, log scale).
    public var gradientNormSVG: String {
        linePlot(title: "\(experiment.title): gradient norm before clipping", xLabel: "step", yLabel: "global L2 norm",
                 yScale: .log, series: \.gradientNorms)
    }

    /// A line plot of one value per run at each x (epoch, step): each arm's mean with its min–max band, one panel per group.
    func linePlot(title: String, xLabel: String, yLabel: String, yScale: SVGPlot.YScale,
                  series: KeyPath<ArmSummary, [Int: [Double]]>) -> String {
        let panels = plotGroups.map { group in
            SVGPlot.Panel(title: group.title, series: group.members.map { index in
                let values = arms[index][keyPath: series]
                return SVGPlot.Series(label: arms[index].arm, points: values.keys.sorted().compactMap { x in
                    guard let values = values[x], let s = SeedStatistics.meanAndStd(values) else { return nil }
                    return (Double(x), s.mean, values.min() ?? s.mean, values.max() ?? s.mean)
                })
            })
        }
        return SVGPlot(title: title, xLabel: xLabel, yLabel: yLabel, yScale: yScale, panels: panels).render()
    }
}
