/// A generated sequence-to-sequence task as experiment files describe it
/// (`task.kind: reversal | sorting | dates | addition`).
public struct Seq2SeqTaskSpecification: Codable, Equatable, Sendable {
    public var kind: Seq2SeqTaskKind
    /// L: training and validation sizes are 1...L (dates: sources of at most L characters).
    public var maxTrainingLength: Int
    /// The sizes of the test sets; nil for L/2, L, 3L/2, 2L.
    public var testLengths: [Int]?
    public var trainingExamples: Int
    public var validationExamples: Int
    public var testExamplesPerLength: Int

    public init(kind: Seq2SeqTaskKind, maxTrainingLength: Int, testLengths: [Int]? = nil,
                trainingExamples: Int = TaskSpecification.defaultTrainingExamples,
                validationExamples: Int = Self.defaultValidationExamples, testExamplesPerLength: Int = Self.defaultTestExamplesPerLength) {
        self.kind = kind
        self.maxTrainingLength = maxTrainingLength
        self.testLengths = testLengths
        self.trainingExamples = trainingExamples
        self.validationExamples = validationExamples
        self.testExamplesPerLength = testExamplesPerLength
    }

    /// L when none is given: 20 for dates (sources are characters), else 10.
    public static func defaultMaxTrainingLength(for kind: Seq2SeqTaskKind) -> Int { kind == .dates ? 20 : 10 }
    public static let defaultValidationExamples = 500
    public static let defaultTestExamplesPerLength = 200

    /// The task (data seed 0: every run of an experiment sees the same examples).
    public func makeTask() throws -> Seq2SeqTask {
        try Seq2SeqTask(kind: kind, maxTrainingSize: maxTrainingLength, testSizes: testLengths, trainingExamples: trainingExamples,
                        validationExamples: validationExamples, testExamplesPerSize: testExamplesPerLength)
    }
}
