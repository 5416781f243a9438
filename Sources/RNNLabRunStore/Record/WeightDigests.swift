import Foundation
import RNNLabData

/// SHA-256 digests of a run's final weights: one per tensor, over its float32 values in little-endian byte
/// order, and one over the whole set (`name`, shape and digest of every tensor, one line each, in
/// `state_dict` order). Two runs with the same digests ended with bit-identical weights.
public struct WeightDigests: Codable, Equatable, Sendable {
    /// `state_dict` name → digest of the tensor's values.
    public var tensors: [String: String]
    /// The digest of the whole set.
    public var all: String
    /// Parameters in all tensors.
    public var parameterCount: Int

    /// The digests of `weights`.
    public init(_ weights: [(name: String, shape: [Int], values: [Float])]) {
        var tensors: [String: String] = [:]
        var lines = ""
        var count = 0
        for weight in weights {
            let digest = weight.values.map(\.bitPattern.littleEndian).withUnsafeBytes { bytes in
                var hasher = SHA256.Hasher()
                hasher.update(bytes)
                return hasher.hexDigest()
            }
            tensors[weight.name] = digest
            lines += "\(weight.name) \(weight.shape.map(String.init).joined(separator: "x")) \(digest)\n"
            count += weight.values.count
        }
        self.tensors = tensors
        self.all = SHA256.hex(of: Data(lines.utf8))
        self.parameterCount = count
    }

    enum CodingKeys: String, CodingKey {
        case tensors, all, parameterCount = "parameters"
    }
}
