import RNNLabNumerics
import RealModule

/// How back-propagation through time is truncated.
public enum TruncationStyle: Codable, Equatable, Sendable {
    /// Back-propagate through each whole sequence (each whole batch of a stream).
    case full
    /// Segments of k steps: the state is carried forward across a boundary, the
    /// gradient is stopped there, and the parameters are updated after each segment.
    case fixed(Int)
    /// Segment lengths drawn at random with mean k: each step ends a segment
    /// with probability c = 1/k, so lengths are geometric (Tallec & Ollivier 2017).
    /// With `unbiased`, the state gradient is multiplied by 1/(1 − c) at every
    /// step it crosses back, which makes the truncated gradient an unbiased
    /// estimate of the full one.
    case randomized(mean: Int, unbiased: Bool = false)

    /// The segments covering `steps` time steps, in order.
    public func segments(steps: Int, random: inout RandomStream) -> [Range<Int>] {
        switch self {
        case .full:
            return [0..<steps]
        case .fixed(let k):
            return stride(from: 0, to: steps, by: max(k, 1)).map { $0..<min($0 + max(k, 1), steps) }
        case .randomized(let mean, _):
            let c = 1 / Double(max(mean, 1))
            var result: [Range<Int>] = []
            var start = 0
            while start < steps {
                // Geometric length ≥ 1 with P(L = l) = (1 − c)^(l−1)·c.
                var length = 1
                if c < 1 {
                    let u = 1 - random.nextUnit()   // (0, 1]
                    length = max(1, Int((Double.log(u) / Double.log(1 - c)).rounded(.up)))
                }
                result.append(start..<min(start + length, steps))
                start += length
            }
            return result
        }
    }

    /// The factor applied to the state gradient per step back in time.
    public var stateGradientScale: Double {
        if case .randomized(let mean, true) = self, mean > 1 { return 1 / (1 - 1 / Double(mean)) }
        return 1
    }
}
