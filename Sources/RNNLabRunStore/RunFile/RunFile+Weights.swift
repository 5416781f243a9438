import Foundation
import RNNLabHDF5
import RNNLabLayers
import RNNLabNumerics

extension RunFile {
    /// Copies the stored final weights into `parameters`, matched by name and shape.
    public func loadFinalWeights(into parameters: [Parameter<Float>]) throws {
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
