import RNNLabData
import RNNLabRunStore
import RNNLabTasks

/// Checks, before any run starts, that a user's text file holds enough tokens for the configuration: one
/// training batch (`batch_size` rows of `steps` tokens each, plus up to `steps` for the random offset) and one
/// evaluation segment (`steps + 1` tokens) in each held-out split. Word counts are exact for word tokens;
/// for byte pairs the characters are an upper bound, so only a file too small even then is an error.
enum UserDataSize {
    static func check(_ configuration: RunConfiguration, taskNode: ConfigNode) throws {
        guard case .languageModel(_, let tokenization, let steps, _, _, let file?) = configuration.task,
              let summary = UserDataValidation.shared.summary(of: file), summary.characters.count == 3 else { return }
        let counts: [Int], unit: String
        switch tokenization {
        case .characters, .bytePairs: (counts, unit) = (summary.characters, "characters")
        case .words(let endOfSentence, _):
            counts = zip(summary.words, summary.lines).map { endOfSentence ? $0 + $1 : $0 }
            unit = "words" + (endOfSentence ? " (with <eos>)" : "")
        }
        let batch = configuration.batchSize
        let needed = [batch * steps + steps, steps + 1, steps + 1]
        for (index, split) in ["training", "validation", "test"].enumerated() where counts[index] < needed[index] {
            let rule = index == 0 ? "batch_size × steps + steps = \(batch) × \(steps) + \(steps) = \(needed[0])"
                                  : "steps + 1 = \(steps + 1)"
            throw ExperimentError(position: taskNode.child(["data"])?.position ?? taskNode.position, key: "task.data",
                                  message: "too few tokens for one batch: the \(split) split of \(file.name) has \(counts[index]) \(unit), "
                                      + "fewer than \(rule); use a smaller training.batch_size or task.steps, or a larger file")
        }
    }
}
