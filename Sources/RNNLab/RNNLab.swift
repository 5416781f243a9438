// The RNNLab library: one import for the whole engine.
@_exported import RNNLabNumerics
@_exported import RNNLabLayers
@_exported import RNNLabTraining
@_exported import RNNLabData
@_exported import RNNLabTasks
@_exported import RNNLabHDF5
@_exported import RNNLabRunStore
@_exported import RNNLabExperiments
@_exported import RNNLabReports

/// Facts about this build of RNNLab.
public enum RNNLabInfo {
    /// The library version.
    public static let version = "0.1.0"
}
