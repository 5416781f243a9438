import ArgumentParser
import RNNLab
import RNNLabHDF5
import RNNLabNumerics
import RNNLabRunStore

/// `rnnlab info`: what this build runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the versions of RNNLab (with the commit it was built from) and of the libraries it runs on.")

    func run() throws {
        print("RNNLab \(RNNLabInfo.version)")
        print("Source: \(SourceRevision.built.summary)")
        print("BLAS: \(BLAS.configuration) (core \(BLAS.coreName), \(BLAS.threads) threads)")
        print("HDF5: \(HDF5Library.version)")
    }
}
