import RNNLabExperiments


/// One file of a report and its text.
public struct ReportFile: Equatable, Sendable {
    /// The file's name in its folder.
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

extension ExperimentReport {
    /// Every file of the experiment's report folder, rendered: REPORT.md, summary.csv, the plots and the heat maps.
    public var files: [ReportFile] {
        var files = [ReportFile(name: "REPORT.md", text: markdown), ReportFile(name: "summary.csv", text: csv),
                     ReportFile(name: "final.svg", text: finalMetricSVG), ReportFile(name: "curves.svg", text: curvesSVG)]
        if let svg = accuracyByLengthSVG { files.append(ReportFile(name: "accuracy_by_length.svg", text: svg)) }
        for figure in attentionFigures { files.append(ReportFile(name: figure.fileName, text: figure.heatMap.render())) }
        if experiment.report.plots.contains("grad_norm") { files.append(ReportFile(name: "grad_norm.svg", text: gradientNormSVG)) }
        return files
    }
}
