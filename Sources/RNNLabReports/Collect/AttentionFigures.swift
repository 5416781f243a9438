import RNNLabExperiments

extension AttentionFigure {
    /// The figure of one of a family's heat maps (attention over a source, or pooling over a sentence)
    /// for the arm at `armIndex`.
    init(_ example: HeatMapExample, arm: String, armIndex: Int) {
        let map = AttentionHeatMap(title: example.title, sourceTokens: example.sourceTokens, outputTokens: example.outputTokens,
                                   weights: example.weights)
        self.init(arm: arm, fileName: "\(example.kind.rawValue)-\(armIndex + 1)-\(example.number).svg", caption: example.caption,
                  heatMap: map)
    }
}
