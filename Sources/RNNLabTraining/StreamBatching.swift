import RNNLabLayers
import RNNLabNumerics

/// How a long token stream is cut into minibatches for next-token prediction,
/// as in Dive into Deep Learning §9.3.
public enum StreamPartitioning: String, Codable, CaseIterable, Sendable {
    /// Each batch row is a contiguous stretch of the stream, continued by the same
    /// row of the next batch: the state carries across batches (detached).
    case sequential
    /// Independent subsequences from shuffled positions: the state is reset for
    /// every batch.
    case random
}

/// Cuts token streams into batches of B rows × T steps (time-major), with
/// targets shifted by one token.
public enum StreamBatcher {
    /// The batches of one epoch. Each epoch starts from a fresh random offset
    /// (0...T for sequential, 0..<T for random partitioning), so that every
    /// epoch sees different subsequence boundaries.
    public static func batches<T: Scalar>(
        stream: [Int32], batch B: Int, steps T: Int, partitioning: StreamPartitioning,
        random: inout RandomStream
    ) -> [SequenceBatch<T>] {
        precondition(B >= 1 && T >= 1, "batch and steps must be positive")
        switch partitioning {
        case .sequential:
            let offset = random.index(below: T + 1)
            return sequential(stream: stream, batch: B, steps: T, offset: offset, keepPartial: false)
        case .random:
            let offset = random.index(below: T)
            let count = max(0, (stream.count - offset - 1) / T)
            var starts = (0..<count).map { offset + $0 * T }
            for i in stride(from: starts.count - 1, to: 0, by: -1) {   // Fisher–Yates
                starts.swapAt(i, random.index(below: i + 1))
            }
            return stride(from: 0, to: count - B + 1, by: B).map { first in
                let rowStarts = starts[first..<(first + B)]
                var inputs = [Int32](repeating: 0, count: T * B), targets = inputs
                for (b, start) in rowStarts.enumerated() {
                    for t in 0..<T {
                        inputs[t * B + b] = stream[start + t]
                        targets[t * B + b] = stream[start + t + 1]
                    }
                }
                return SequenceBatch(steps: T, batch: B, tokens: inputs, classTargets: targets, continuesPrevious: false)
            }
        }
    }

    /// Sequential batches from a given offset: row b reads the b-th of B equal
    /// contiguous stretches of stream[offset...]. With `keepPartial`, a final
    /// batch of fewer than T steps is kept (evaluation covers every token it
    /// can); without it, it is dropped (as Dive into Deep Learning does in training).
    public static func sequential<T: Scalar>(
        stream: [Int32], batch B: Int, steps T: Int, offset: Int = 0, keepPartial: Bool = true
    ) -> [SequenceBatch<T>] {
        let perRow = max(0, (stream.count - offset - 1) / B)
        var result: [SequenceBatch<T>] = []
        var column = 0
        while column < perRow {
            let width = min(T, perRow - column)
            if width < T && !keepPartial { break }
            var inputs = [Int32](repeating: 0, count: width * B), targets = inputs
            for b in 0..<B {
                let rowStart = offset + b * perRow + column
                for t in 0..<width {
                    inputs[t * B + b] = stream[rowStart + t]
                    targets[t * B + b] = stream[rowStart + t + 1]
                }
            }
            result.append(SequenceBatch(steps: width, batch: B, tokens: inputs, classTargets: targets,
                                        continuesPrevious: column > 0))
            column += width
        }
        return result
    }
}
