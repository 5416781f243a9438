import ArgumentParser
import RNNLab

@main
struct RNNLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnlab",
        abstract: "Reproducible experiments and benchmarks for recurrent neural networks.",
        version: RNNLabInfo.version,
        subcommands: [Run.self, Report.self, Verify.self, Slurm.self, Status.self, ListExperiments.self, Table.self, Show.self, Eval.self, Train.self, Sample.self, DataCommand.self, Export.self, Bench.self, Info.self, Validate.self])
}
