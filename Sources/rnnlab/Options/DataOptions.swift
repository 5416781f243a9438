import ArgumentParser
import RNNLabData

/// Where to look for data sets: shared by every command that reads data.
struct DataOptions: ParsableArguments {
    @Option(help: "Data directory (default: $RNNLAB_DATA, else ./data). Missing files come from $RNNLAB_DATA_MIRROR or a download.")
    var dataDir: String?

    var directory: DataDirectory { DataDirectory(explicit: dataDir) }
}
