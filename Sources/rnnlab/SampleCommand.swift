import ArgumentParser
import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore

/// `rnnlab sample`: generate from a stored run.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text (language models) or a MIDI file (music models) from a stored run, or decode --input with a sequence-to-sequence run.")

    @OptionGroup var data: DataOptions
    @OptionGroup var trainingData: TrainingDataOptions
    @Argument(help: "The run file.") var runFile: String
    @Option(help: "Text to start from (language models).") var prime: String = ""
    @Option(help: "Tokens or frames to generate.") var length: Int = 200
    @Option(help: "Sampling temperature (0: always the most likely token).") var temperature: Double = 1
    @Option(help: "Seed of the sampling stream.") var seed: UInt64 = 1
    @Option(help: "MIDI file to write (music models).") var output: String = "sample.mid"
    @Option(help: "The source string to decode (sequence-to-sequence runs), e.g. \"23 nov 2026\".") var input: String?
    @Option(help: "Beam width (sequence-to-sequence runs; 1 is greedy decoding).") var beamWidth: Int = 1
    @Option(help: "Length penalty α of beam search: hypotheses ranked by log p / length^α.") var lengthPenalty: Double = 0

    func run() throws {
        let file = try RunFile.read(from: runFile)
        try trainingData.prepare(for: file)
        let request = GenerationRequest(prime: prime, length: length, temperature: temperature, seed: seed, input: input,
                                        beamWidth: beamWidth, lengthPenalty: lengthPenalty)
        let generation: Generation
        do {
            generation = try ModelFamilies.family(for: file.configuration).generate(from: file, request, data: data.directory)
        } catch let error as GenerationError {
            switch error {
            case .missingInput: throw ValidationError("\(runFile) is a sequence-to-sequence run: give the string to decode with --input")
            case .noTokenizer: throw ValidationError("\(runFile) stores no tokenizer: it is not a language-model run")
            case .notGenerative: throw ValidationError("\(runFile) is a \(file.configuration.task) run: only language and music models generate")
            }
        }
        switch generation {
        case .text(let text):
            print(text)
        case .pianoRoll(let roll):
            try MIDIWriter.write(pianoRoll: roll, to: URL(fileURLWithPath: output))
            print("wrote \(roll.count) frames to \(output)")
        }
    }
}
