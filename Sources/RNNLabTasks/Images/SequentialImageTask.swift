import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// The order in which a sequential-image task reads an image.
public enum ImageOrder: String, Codable, Equatable, Sendable, CaseIterable {
    /// One row per step: 28 steps of 28 pixels (for 28×28 images).
    case rows
    /// One pixel per step in raster order: 784 steps of one value.
    case pixels
    /// One pixel per step in a fixed random order (the permutation is drawn from data seed 0): 784 steps.
    case permutedPixels = "permuted_pixels"
}

/// Image classification read as a sequence (sequential MNIST-style tasks; Le et al. 2015): an image is fed
/// row by row or pixel by pixel (optionally permuted) and classified from the whole sequence.
///
/// Pixels are scaled to [0, 1]. Splits: the validation split is carved from the published training set
/// (`validationExamples` images chosen by a fixed shuffle, data seed 0), training uses the rest (or its first
/// `trainingExamples` in that shuffled order), and the test split is the published test set (or its first
/// `testExamples`). Metrics: accuracy and cross-entropy; baseline: the majority class of the training split.
public struct SequentialImageTask: SequenceTask {
    /// Pixels of a split's images, image after image in reading order, scaled to [0, 1], and their labels.
    struct Split {
        var pixels: [Float]
        var labels: [Int]
    }

    public let name: String
    public let order: ImageOrder
    public let classes: Int
    public let rows: Int
    public let columns: Int
    let training: Split
    let validation: Split
    let test: Split

    /// Builds the splits from the published training and test images (see the type's description).
    public init(name: String, order: ImageOrder, trainingSet: LabelledImages, testSet: LabelledImages,
                trainingExamples: Int?, validationExamples: Int, testExamples: Int?, classes: Int = 10) throws {
        guard trainingSet.rows == testSet.rows, trainingSet.columns == testSet.columns else {
            throw TaskError.invalid("\(name): training images are \(trainingSet.rows)×\(trainingSet.columns), test images \(testSet.rows)×\(testSet.columns)")
        }
        guard validationExamples >= 1, validationExamples < trainingSet.count else {
            throw TaskError.invalid("\(name): \(validationExamples) validation images cannot be carved from \(trainingSet.count) training images")
        }
        if let bad = (trainingSet.labels + testSet.labels).first(where: { Int($0) >= classes }) {
            throw TaskError.invalid("\(name): label \(bad) outside 0..<\(classes)")
        }
        self.name = name
        self.order = order
        self.classes = classes
        self.rows = trainingSet.rows
        self.columns = trainingSet.columns
        let size = rows * columns
        let reading = Self.readingOrder(order, size: size)
        func take(_ set: LabelledImages, _ indices: [Int]) -> Split {
            var pixels = [Float](repeating: 0, count: indices.count * size)
            for (n, index) in indices.enumerated() {
                for (position, source) in reading.enumerated() {
                    pixels[n * size + position] = Float(set.pixels[index * size + source]) / 255
                }
            }
            return Split(pixels: pixels, labels: indices.map { Int(set.labels[$0]) })
        }
        var random = RandomStream(seed: 0, stream: "sequential-image-split")
        let shuffledIndices = shuffled(Array(0..<trainingSet.count), random: &random)
        let remaining = shuffledIndices.count - validationExamples
        let trainingCount = min(trainingExamples ?? remaining, remaining)
        validation = take(trainingSet, Array(shuffledIndices[..<validationExamples]))
        training = take(trainingSet, Array(shuffledIndices[validationExamples..<(validationExamples + trainingCount)]))
        test = take(testSet, Array(0..<min(testExamples ?? testSet.count, testSet.count)))
    }

    /// The pixel read at each step position: raster order, or the fixed permutation of data seed 0.
    public static func readingOrder(_ order: ImageOrder, size: Int) -> [Int] {
        guard order == .permutedPixels else { return Array(0..<size) }
        var random = RandomStream(seed: 0, stream: "sequential-image-permutation")
        return shuffled(Array(0..<size), random: &random)
    }

    /// Steps per image and features per step.
    public var shape: (steps: Int, features: Int) {
        order == .rows ? (rows, columns) : (rows * columns, 1)
    }

    public var input: SequenceInput { .dense(features: shape.features) }
    public var head: SequenceHead { .classPerSequence(classes: classes) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("accuracy", lowerIsBetter: false, "fraction of test images classified correctly"),
         MetricDefinition("loss", lowerIsBetter: true, "cross-entropy per image, nats")]
    }

    /// The number of images in each split.
    public var counts: (training: Int, validation: Int, test: Int) {
        (training.labels.count, validation.labels.count, test.labels.count)
    }

    /// The steps of image `index` of a split (nil: training), in reading order [T·F].
    public func sequence(_ index: Int, split: EvaluationSplit?) -> ArraySlice<Float> {
        let data = split == nil ? training : split == .validation ? validation : test
        let size = rows * columns
        return data.pixels[(index * size)..<((index + 1) * size)]
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        let (T, F) = shape
        return ExampleSource(trainingCount: training.labels.count, validationCount: validation.labels.count,
                             testCount: test.labels.count, batchSize: batchSize, batch: { split, indices in
            let data = split == nil ? training : split == .validation ? validation : test
            let B = indices.count
            let features = Tensor<Float>(shape: [T * B, F])
            for (b, index) in indices.enumerated() {
                let image = index * T * F
                for t in 0..<T {
                    for f in 0..<F { features[(t * B + b) * F + f] = data.pixels[image + t * F + f] }
                }
            }
            return SequenceBatch(steps: T, batch: B, features: features, classTargets: indices.map { Int32(data.labels[$0]) })
        }, metrics: { ClassificationMetrics() })
    }

    /// Always the majority class of the training split; its loss is the cross-entropy of the training class frequencies.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        var counts = [Double](repeating: 0, count: classes)
        for label in training.labels { counts[label] += 1 }
        let majority = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        let labels = split == .validation ? validation.labels : test.labels
        let frequencies = counts.map { max($0, 1) / Double(training.labels.count) }
        let loss = labels.reduce(0.0) { $0 - Double.log(frequencies[$1]) } / Double(labels.count)
        return ["accuracy": Double(labels.filter { $0 == majority }.count) / Double(labels.count), "loss": loss]
    }
}
