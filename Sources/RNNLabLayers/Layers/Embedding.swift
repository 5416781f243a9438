import RNNLabNumerics

/// A lookup table from token ids to vectors, as PyTorch's `nn.Embedding`.
///
/// Shapes: ids [N] → y [N, dim]; weight [vocabulary, dim].
public final class Embedding<T: Scalar>: ParameterOwner {
    public let vocabularySize: Int
    public let dimension: Int
    /// `weight` [vocabulary, dim].
    public let weight: Parameter<T>
    public var parameters: [Parameter<T>] { [weight] }

    /// The output of the last forward pass [N, dim], reused across calls.
    public let output = Tensor<T>(shape: [0])
    private var ids: [Int32] = []

    /// Creates a table whose parameter is named `prefix.weight`.
    public init(vocabularySize: Int, dimension: Int, name prefix: String = "embedding") {
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        weight = Parameter(name: prefix.isEmpty ? "weight" : "\(prefix).weight", shape: [vocabularySize, dimension])
    }

    // forward: y[n, :] = W[ids[n], :]
    /// Gathers one row per id. Every id must lie in 0..<vocabularySize.
    @discardableResult
    public func forward(_ ids: [Int32]) -> Tensor<T> {
        self.ids = ids
        output.reshape([ids.count, dimension])
        for (n, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < vocabularySize, "Embedding: id \(id) outside 0..<\(vocabularySize)")
            (output.data + n * dimension).update(from: weight.value.data + Int(id) * dimension, count: dimension)
        }
        return output
    }

    // backward: dW[ids[n], :] += dy[n, :]  (only the rows that were used)
    /// Accumulates dy [N, dim] into the rows of the ids of the last forward pass.
    public func backward(_ dy: Tensor<T>) {
        precondition(dy.count == ids.count * dimension, "Embedding.backward: dy has shape \(dy.shape)")
        for (n, id) in ids.enumerated() {
            Kernels.add(dy.data + n * dimension, into: weight.gradient.data + Int(id) * dimension, count: dimension)
        }
    }
}
