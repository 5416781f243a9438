import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks

extension RunFile {
    /// The encoder–decoder of a sequence-to-sequence run with its final weights, and its task.
    public func makeEncoderDecoder() throws -> (model: EncoderDecoder<Float>, task: Seq2SeqTask) {
        let (model, task) = try EncoderDecoderFamily.build(configuration, runID: runID)
        try loadFinalWeights(into: model.parameters)
        return (model, task)
    }
}
