import RNNLabRunStore

extension AttentionFigure {
    /// The figure of one of a family's heat maps (attention over a source, or pooling over a sentence)
    /// for the arm at `armIndex`: the title and caption name the arm (records store them without it, so a
    /// renamed arm needs no new record).
    init(_ example: HeatMapExample, arm: String, armIndex: Int) {
        let map = AttentionHeatMap(title: "\(arm): \(example.title)", sourceTokens: example.sourceTokens, outputTokens: example.outputTokens,
                                   weights: example.weights)
        self.init(arm: arm, fileName: "\(example.kind.rawValue)-\(armIndex + 1)-\(example.number).svg", caption: "`\(arm)`, \(example.caption)",
                  heatMap: map)
    }
}
