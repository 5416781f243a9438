import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks

extension RunFile {
    /// A model with this run's architecture and final weights.
    public func makeModel(data: DataDirectory) throws -> (model: SequenceModel<Float>, task: any SequenceTask) {
        let (model, task) = try SequenceFamily.build(configuration, data: data)
        try loadFinalWeights(into: model.parameters)
        return (model, task)
    }
}
