import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// A generated, seeded sequence-to-sequence task with a training range of sizes
/// 1...L and test sets at and beyond L, to measure length generalisation.
///
/// Splits: training and validation examples have sizes drawn uniformly from
/// minimumSize...L (dates: any format whose source has at most L characters);
/// the test set has `testExamplesPerSize` examples of every size in `testSizes`
/// (dates: that many draws per listed size, unrestricted, each tagged with its
/// own character count). Every split draws from its own stream of `dataSeed`.
public struct Seq2SeqTask: Sendable {
    public var kind: Seq2SeqTaskKind
    public var maxTrainingSize: Int
    public var testSizes: [Int]
    public var trainingExamples: Int
    public var validationExamples: Int
    public var testExamplesPerSize: Int
    public var dataSeed: UInt64

    public init(kind: Seq2SeqTaskKind, maxTrainingSize: Int, testSizes: [Int]? = nil, trainingExamples: Int = 10_000,
                validationExamples: Int = 500, testExamplesPerSize: Int = 200, dataSeed: UInt64 = 0) throws {
        let generator = Seq2SeqGenerator(kind: kind)
        guard maxTrainingSize >= generator.minimumSize else {
            throw Seq2SeqTaskError.invalidConfiguration("\(kind.rawValue) needs a maximum training size of at least \(generator.minimumSize), got \(maxTrainingSize)")
        }
        let sizes = testSizes ?? [maxTrainingSize / 2, maxTrainingSize, maxTrainingSize * 3 / 2, maxTrainingSize * 2]
            .filter { $0 >= generator.minimumSize }
        guard sizes.allSatisfy({ $0 >= generator.minimumSize }), !sizes.isEmpty else {
            throw Seq2SeqTaskError.invalidConfiguration("test sizes \(sizes) must be at least \(generator.minimumSize)")
        }
        guard trainingExamples >= 1, validationExamples >= 1, testExamplesPerSize >= 1 else {
            throw Seq2SeqTaskError.invalidConfiguration("every split needs at least one example")
        }
        self.kind = kind
        self.maxTrainingSize = maxTrainingSize
        self.testSizes = sizes
        self.trainingExamples = trainingExamples
        self.validationExamples = validationExamples
        self.testExamplesPerSize = testExamplesPerSize
        self.dataSeed = dataSeed
    }

    public var name: String { kind.rawValue }
    public var vocabulary: Seq2SeqVocabulary { kind.vocabulary }
    private var generator: Seq2SeqGenerator { Seq2SeqGenerator(kind: kind) }

    /// The examples of a split (nil: training), in a fixed order.
    public func examples(_ split: EvaluationSplit?) -> [Seq2SeqExample] {
        var random = RandomStream(seed: dataSeed, stream: "seq2seq/\(kind.rawValue)/\(split?.rawValue ?? "training")")
        let low = generator.minimumSize
        switch split {
        case nil, .validation:
            let count = split == nil ? trainingExamples : validationExamples
            return (0..<count).map { _ in
                if kind == .dates { return generator.example(size: maxTrainingSize, atMost: true, random: &random) }
                return generator.example(size: low + random.index(below: maxTrainingSize - low + 1), random: &random)
            }
        case .test:
            return testSizes.flatMap { size in
                (0..<testExamplesPerSize).map { _ in generator.example(size: size, random: &random) }
            }
        }
    }

    /// A padded batch of examples (teacher forcing: ⟨bos⟩ + target in, target + ⟨eos⟩ out).
    public func batch(_ examples: [Seq2SeqExample]) throws -> Seq2SeqBatch {
        let v = vocabulary
        return Seq2SeqBatch(sources: try examples.map { try v.encode($0.source) }, targets: try examples.map { try v.encode($0.target) },
                            beginToken: Seq2SeqVocabulary.beginToken, endToken: Seq2SeqVocabulary.endToken,
                            padToken: Seq2SeqVocabulary.endToken)
    }
}

extension Seq2SeqTask {
    /// The metrics `Seq2SeqEvaluator` reports, the primary one first.
    public static let metrics: [MetricDefinition] = [
        MetricDefinition("exact_match", lowerIsBetter: false, "fraction of outputs of greedy decoding equal to the target"),
        MetricDefinition("token_accuracy", lowerIsBetter: false, "fraction of target tokens greedy decoding gets right"),
        MetricDefinition("loss", lowerIsBetter: true, "teacher-forced cross-entropy per target token, ⟨eos⟩ included, nats"),
        MetricDefinition("exact_match_len_N", lowerIsBetter: false, "exact_match on the test set of length N", perLength: true),
        MetricDefinition("token_accuracy_len_N", lowerIsBetter: false, "token_accuracy on the test set of length N", perLength: true),
    ]
}
