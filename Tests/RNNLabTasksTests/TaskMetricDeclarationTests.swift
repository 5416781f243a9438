import RNNLabTasks
import RNNLabTraining
import XCTest

/// Each task declares exactly the metrics it computes (its baseline has the same keys).
final class TaskMetricDeclarationTests: XCTestCase {
    func testGeneratedTasksDeclareTheMetricsTheyReport() {
        let tasks: [(any SequenceTask, TaskSpecification)] = [
            (AddingProblem(length: 5, trainingExamples: 10, evaluationExamples: 10), .adding(length: 5)),
            (CopyMemory(delay: 3, trainingExamples: 10, evaluationExamples: 10), .copyMemory(delay: 3)),
            (EmbeddedReber(trainingExamples: 10, evaluationExamples: 10), .embeddedReber()),
        ]
        for (task, specification) in tasks {
            let declared = Set(type(of: task).metrics.map(\.name))
            XCTAssertEqual(declared, Set(task.baseline(.test).keys), task.name)
            XCTAssertEqual(Set(specification.metrics.map(\.name)), declared.union(MetricDefinition.trainingDiagnostics.map(\.name)), task.name)
        }
    }

    func testEveryKindDeclaresItsMetricsWithoutData() {
        let specifications: [TaskSpecification] = [
            .languageModel(dataSet: "ptb"), .music(dataSet: "nottingham"), .sentiment(dataSet: "mr"), .forecasting(series: "sunspots"),
            .adding(), .copyMemory(), .embeddedReber(), .seq2seq(Seq2SeqTaskSpecification(kind: .dates, maxTrainingLength: 20)),
        ]
        for specification in specifications {
            XCTAssertNotNil(specification.metric(named: "loss"), specification.kindName)
            XCTAssertEqual(Set(specification.metrics.map(\.name)).count, specification.metrics.count, "\(specification.kindName): a name repeats")
        }
        XCTAssertEqual(specifications.map(\.kindName), ["language_model", "music", "sentiment", "forecasting", "adding", "copy_memory",
                                                        "embedded_reber", "dates"])
    }
}
