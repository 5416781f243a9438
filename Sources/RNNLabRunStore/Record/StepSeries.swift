import RNNLabTraining

/// A run's per-step series (loss, gradient norm before and after clipping, learning rate), downsampled to
/// at most `maximumBuckets` buckets of consecutive steps, each summarised by its minimum, mean and maximum.
///
/// Buckets hold `bucketSize` steps each (the last one possibly fewer); bucket `i` starts at step
/// `firstStep + i × bucketSize`. The series are for plots: values are rounded to `significantDigits`
/// significant digits (stored as float32), while every per-epoch and final figure in a record keeps its
/// full double precision.
public struct StepSeries: Codable, Equatable, Sendable {
    /// The most buckets a record holds per series.
    public static let maximumBuckets = 512
    /// Significant digits kept of each bucket's minimum, mean and maximum.
    public static let significantDigits = 4

    /// The minimum, mean and maximum of one quantity over each bucket. Where every bucket's minimum and
    /// maximum equal its mean (one step per bucket, or a constant), only `mean` is stored.
    public struct Summary: Codable, Equatable, Sendable {
        public var min: [Float]?
        public var mean: [Float]
        public var max: [Float]?

        public init(min: [Float]?, mean: [Float], max: [Float]?) {
            self.min = min
            self.mean = mean
            self.max = max
        }

        /// The bucket minima (the means where they were not stored).
        public var minima: [Float] { min ?? mean }
        /// The bucket maxima (the means where they were not stored).
        public var maxima: [Float] { max ?? mean }
    }

    /// Steps recorded in the run file.
    public var count: Int
    /// The first recorded step (1 unless the file's first steps are missing).
    public var firstStep: Int
    /// Steps per bucket.
    public var bucketSize: Int
    public var loss: Summary
    public var gradientNormBefore: Summary
    /// Nil when it equals `gradientNormBefore` bucket for bucket (no update was clipped).
    public var gradientNormAfter: Summary?
    public var learningRate: Summary
    /// Updates whose gradient the clipping rule changed (norm after ≠ norm before), counted over every step
    /// (not the buckets); nil in records written before it was recorded.
    public var clippedSteps: Int?
    /// The median over every step of the gradient norm before clipping (not rounded); nil in records written
    /// before it was recorded, and for a run without steps.
    public var gradientNormMedian: Double?
    /// The input tokens of every update, summed (`StepRecord.tokens`); nil in records written before it was
    /// recorded or where a step has no count.
    public var tokens: Int?

    /// The share of updates whose gradient clipping changed: exact from `clippedSteps`, or 0 for an older record
    /// whose norms after clipping equal those before in every bucket; nil where it cannot be known.
    public var clippedFraction: Double? {
        guard count > 0 else { return nil }
        if let clippedSteps { return Double(clippedSteps) / Double(count) }
        return gradientNormAfter == nil ? 0 : nil
    }

    /// The number of buckets.
    public var bucketCount: Int { loss.mean.count }

    /// The first step of bucket `index`.
    public func firstStep(ofBucket index: Int) -> Int { firstStep + index * bucketSize }

    /// Summarises `steps` (in order) into at most `maximumBuckets` buckets.
    public init(_ steps: [StepRecord], maximumBuckets: Int = StepSeries.maximumBuckets) {
        count = steps.count
        firstStep = steps.first?.step ?? 1
        bucketSize = Swift.max(1, (steps.count + maximumBuckets - 1) / maximumBuckets)
        let size = bucketSize
        func summary(_ value: (StepRecord) -> Double) -> Summary {
            var minima: [Float] = [], means: [Float] = [], maxima: [Float] = []
            var start = 0
            while start < steps.count {
                let bucket = steps[start..<Swift.min(start + size, steps.count)]
                var low = Double.infinity, high = -Double.infinity, sum = 0.0
                for step in bucket {
                    let x = value(step)
                    low = Swift.min(low, x)
                    high = Swift.max(high, x)
                    sum += x
                }
                // A bucket holding a nan summarises to nan (min and max skip it otherwise).
                if bucket.contains(where: { value($0).isNaN }) { (low, high) = (.nan, .nan) }
                minima.append(Self.rounded(low))
                means.append(Self.rounded(sum / Double(bucket.count)))
                maxima.append(Self.rounded(high))
                start += size
            }
            let constant = zip(minima, means).allSatisfy { $0.bitPattern == $1.bitPattern }
                && zip(maxima, means).allSatisfy { $0.bitPattern == $1.bitPattern }
            return constant ? Summary(min: nil, mean: means, max: nil) : Summary(min: minima, mean: means, max: maxima)
        }
        loss = summary(\.loss)
        gradientNormBefore = summary(\.gradientNormBefore)
        let after = summary(\.gradientNormAfter)
        gradientNormAfter = after == gradientNormBefore ? nil : after
        learningRate = summary(\.learningRate)
        clippedSteps = steps.reduce(0) { $0 + ($1.gradientNormAfter.bitPattern == $1.gradientNormBefore.bitPattern ? 0 : 1) }
        gradientNormMedian = Self.median(steps.map(\.gradientNormBefore))
        tokens = steps.allSatisfy { $0.tokens != nil } && !steps.isEmpty ? steps.reduce(0) { $0 + ($1.tokens ?? 0) } : nil
    }

    /// The median of `values` (the mean of the middle two for an even count; nan sorts last); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted { $0 < $1 || (!$0.isNaN && $1.isNaN) }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `value` to `significantDigits` significant digits, as float32 (inf and nan kept).
    static func rounded(_ value: Double) -> Float {
        guard value.isFinite else { return Float(value) }
        return Float(String(format: "%.\(significantDigits)g", value)) ?? Float(value)
    }

    enum CodingKeys: String, CodingKey {
        case count, firstStep = "first_step", bucketSize = "bucket_size", loss
        case gradientNormBefore = "gradient_norm_before", gradientNormAfter = "gradient_norm_after", learningRate = "learning_rate"
        case clippedSteps = "clipped_steps", gradientNormMedian = "gradient_norm_median", tokens
    }
}
