import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabTasks
import RNNLabTraining
import XCTest

/// The sequential-image task on small hand-made image sets: reading orders, the fixed permutation, the carved
/// validation split, the subsets and the majority-class baseline.
final class SequentialImageTaskTests: XCTestCase {
    /// `count` images of 2×3 pixels whose pixel p of image n is (10n + p) and whose label is n mod `classes`.
    func images(_ count: Int, classes: Int = 3, offset: Int = 0) -> LabelledImages {
        LabelledImages(count: count, rows: 2, columns: 3,
                       pixels: (0..<count).flatMap { n in (0..<6).map { UInt8(10 * (n + offset) % 250 + $0) } },
                       labels: (0..<count).map { UInt8(($0 + offset) % classes) })
    }

    func testReadingOrdersAndSplits() throws {
        let training = images(20), test = images(7, offset: 20)
        let rows = try SequentialImageTask(name: "toy", order: .rows, trainingSet: training, testSet: test,
                                           trainingExamples: 8, validationExamples: 5, testExamples: nil, classes: 3)
        XCTAssertEqual(rows.counts.training, 8)
        XCTAssertEqual(rows.counts.validation, 5)
        XCTAssertEqual(rows.counts.test, 7)
        XCTAssertEqual(rows.shape.steps, 2)
        XCTAssertEqual(rows.shape.features, 3)
        XCTAssertEqual(rows.input, .dense(features: 3))
        XCTAssertEqual(rows.head, .classPerSequence(classes: 3))
        // The test set is the published one, in order, scaled to [0, 1].
        XCTAssertEqual(Array(rows.sequence(0, split: .test)), (0..<6).map { Float(200 + $0) / 255 })
        // Validation and training images are disjoint and come from the training set.
        func firstPixel(_ i: Int, _ split: EvaluationSplit?) -> Int { Int((rows.sequence(i, split: split).first ?? 0) * 255 + 0.5) }
        let validation = Set((0..<5).map { firstPixel($0, .validation) }), trained = Set((0..<8).map { firstPixel($0, nil) })
        XCTAssertTrue(validation.isDisjoint(with: trained))
        XCTAssertTrue(validation.union(trained).allSatisfy { $0 % 10 == 0 && $0 < 200 })
        // The batch is time-major: step t of row b holds image row t.
        let batch = rows.makeSource(batchSize: 4).evaluationBatches(.test)[0]
        XCTAssertEqual([batch.steps, batch.batch], [2, 4])
        let features = try XCTUnwrap(batch.features)
        XCTAssertEqual(features[(1 * 4 + 2) * 3 + 1] * 255, Float(220 + 3 + 1), accuracy: 1e-3)
        XCTAssertEqual(batch.classTargets, [2, 0, 1, 2])

        let pixels = try SequentialImageTask(name: "toy", order: .pixels, trainingSet: training, testSet: test,
                                             trainingExamples: nil, validationExamples: 5, testExamples: 3, classes: 3)
        XCTAssertEqual(pixels.counts.training, 15)
        XCTAssertEqual(pixels.counts.test, 3)
        XCTAssertEqual([pixels.shape.steps, pixels.shape.features], [6, 1])
        XCTAssertEqual(pixels.sequence(1, split: .test), rows.sequence(1, split: .test), "pixels keep raster order")
        let permuted = try SequentialImageTask(name: "toy", order: .permutedPixels, trainingSet: training, testSet: test,
                                               trainingExamples: nil, validationExamples: 5, testExamples: nil, classes: 3)
        let order = SequentialImageTask.readingOrder(.permutedPixels, size: 6)
        XCTAssertEqual(order.sorted(), Array(0..<6))
        XCTAssertNotEqual(order, Array(0..<6))
        XCTAssertEqual(order, SequentialImageTask.readingOrder(.permutedPixels, size: 6), "the permutation is fixed")
        XCTAssertEqual(Array(permuted.sequence(2, split: .test)), order.map { Float(220 + $0) / 255 })
        // The same images in every split regardless of the order.
        XCTAssertEqual(Set(permuted.sequence(0, split: .validation)), Set(pixels.sequence(0, split: .validation)))
    }

    func testBaselineIsTheTrainingMajorityAndBadInputsAreErrors() throws {
        var training = images(12)
        training.labels = [1, 1, 1, 1, 1, 1, 1, 1, 0, 2, 0, 2]
        let test = images(6, offset: 12)
        let task = try SequentialImageTask(name: "toy", order: .rows, trainingSet: training, testSet: test,
                                           trainingExamples: nil, validationExamples: 2, testExamples: nil, classes: 3)
        let baseline = task.baseline(.test)
        XCTAssertEqual(baseline["accuracy"] ?? .nan, 2.0 / 6, accuracy: 1e-12, "test labels 0, 1, 2, 0, 1, 2: class 1 twice")
        XCTAssertEqual(Set(baseline.keys), ["accuracy", "loss"])
        XCTAssertThrowsError(try SequentialImageTask(name: "toy", order: .rows, trainingSet: training, testSet: test,
                                                     trainingExamples: nil, validationExamples: 12, testExamples: nil, classes: 3))
        XCTAssertThrowsError(try SequentialImageTask(name: "toy", order: .rows, trainingSet: training, testSet: test,
                                                     trainingExamples: nil, validationExamples: 2, testExamples: nil, classes: 2)) { error in
            XCTAssertTrue("\(error)".contains("label 2 outside 0..<2"), "\(error)")
        }
        XCTAssertEqual(TaskSpecification.sequentialImage(dataSet: "fashion_mnist", order: .rows).metrics.first?.name, "accuracy")
    }
}
