import Foundation

extension RunFile {
    /// A model with this run's architecture and final weights.
    public func makeModel(data: DataDirectory) throws -> (model: SequenceModel<Float>, task: any SequenceTask) {
        let task = try TaskCatalog.make(configuration.task, data: data)
        let model = SequenceModel<Float>(configuration.model.configuration(for: task))
        try loadFinalWeights(into: model.parameters)
        return (model, task)
    }

    /// Copies the stored final weights into `parameters`, matched by name and shape.
    func loadFinalWeights(into parameters: [Parameter<Float>]) throws {
        let stored = Dictionary(uniqueKeysWithValues: finalWeights.map { ($0.name, $0) })
        for parameter in parameters {
            guard let w = stored[parameter.name], w.shape == parameter.shape else {
                throw HDF5Error.mismatch(file: runID, object: "/weights/final/\(parameter.name)",
                                         reason: "missing or of the wrong shape for \(parameter.shape)")
            }
            parameter.value.copy(from: Tensor(shape: w.shape, values: w.values))
        }
    }
}
