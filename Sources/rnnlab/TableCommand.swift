import ArgumentParser
import Foundation
import RNNLabExperiments
import RNNLabReports

/// `rnnlab table`: an experiment's comparison table for papers.
struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print an experiment's comparison table as Markdown, CSV or LaTeX.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, csv, latex }
    @Argument(help: "The experiment (file or name).") var experiment: String
    @Option(help: "markdown, csv or latex.") var format: Format = .markdown
    @OptionGroup var resultsOption: ResultsOptions
    @OptionGroup var profileOption: ProfileOptions

    func run() throws {
        let report = try ExperimentReport.collect(try ExperimentCatalog().load(experiment), profile: profileOption.profile,
                                                  store: resultsOption.store)
        switch format {
        case .markdown: print(report.markdownTable)
        case .csv: print(report.csv, terminator: "")
        case .latex: print(report.latexTable)
        }
    }
}
