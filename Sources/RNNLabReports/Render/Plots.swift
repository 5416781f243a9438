import RNNLabExperiments


/// The learning-curve and gradient-norm plots, rendered from the collected values.
extension ExperimentReport {
    /// The learning-curve plot (validation metric per epoch, mean with a min–max band).
    public var curvesSVG: String {
        SVGPlot(title: "\(experiment.title): validation \(experiment.report.metric)", xLabel: "epoch",
                yLabel: "validation \(experiment.report.metric)", series: arms.map { arm in
                    SVGPlot.Series(label: arm.arm, points: arm.curves.keys.sorted().compactMap { epoch in
                        guard let values = arm.curves[epoch], let s = SeedStatistics.meanAndStd(values) else { return nil }
                        return (Double(epoch), s.mean, values.min() ?? s.mean, values.max() ?? s.mean)
                    })
                }).render()
    }

    /// The gradient-norm plot (norm before clipping per step, log scale).
    public var gradientNormSVG: String {
        SVGPlot(title: "\(experiment.title): gradient norm before clipping", xLabel: "step", yLabel: "global L2 norm", logY: true,
                series: arms.map { arm in
                    SVGPlot.Series(label: arm.arm, points: arm.gradientNorms.keys.sorted().compactMap { step in
                        guard let values = arm.gradientNorms[step], let s = SeedStatistics.meanAndStd(values) else { return nil }
                        return (Double(step), s.mean, values.min() ?? s.mean, values.max() ?? s.mean)
                    })
                }).render()
    }
}
