import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// Decoder attention over the source for a few test examples.
extension EncoderDecoderFamily {
    /// Heat maps for a few test examples decoded by `file` (an attention run), or none.
    static func attentionHeatMaps(of file: RunFile, count: Int = 3) -> [HeatMapExample] {
        guard case .seq2seq = file.configuration.task, file.configuration.model.seq2seq?.attention != nil,
              let (model, task) = try? file.makeEncoderDecoder() else { return [] }
        let test = task.examples(.test)
        // One example at each of the smallest, the largest training and the largest test length.
        var chosen: [Seq2SeqExample] = []
        for size in [task.testSizes.min(), task.testSizes.filter { $0 <= task.maxTrainingSize }.max(), task.testSizes.max()].compactMap({ $0 }) {
            if let example = test.first(where: { $0.size == size && !chosen.contains($0) }) { chosen.append(example) }
        }
        if task.kind == .dates { chosen = Array(test.prefix(count)) }
        func show(_ c: Character) -> String { c == " " ? "␣" : String(c) }
        return chosen.prefix(count).enumerated().compactMap { k, example in
            guard let decoded = try? Seq2SeqSampler.decodeWithAttention(model: model, task: task, input: example.source,
                                                                         maxLength: 2 * example.target.count + 5) else { return nil }
            let output = decoded.tokens.map { $0 == Seq2SeqVocabulary.endToken ? "⟨eos⟩" : task.vocabulary.decode([$0]).map(show).joined() }
            let text = task.vocabulary.decode(decoded.tokens)
            let verdict = text == example.target ? "correct" : "wrong, target \(example.target)"
            return HeatMapExample(kind: .attention, number: k + 1, title: "\"\(example.source)\" → \"\(text)\" (\(verdict))",
                                  caption: "run `\(file.runID)`: length \(example.size), \(verdict)",
                                  sourceTokens: example.source.map(show), outputTokens: output, weights: decoded.weights)
        }
    }
}
