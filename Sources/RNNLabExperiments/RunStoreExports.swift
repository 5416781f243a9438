// Experiments build on the run store: its modules come with `import RNNLabExperiments`.
@_exported import RNNLabHDF5
@_exported import RNNLabRunStore
@_exported import RNNLabTasks
