import RNNLabNumerics

/// The independent random streams of one run, all derived from its seed.
///
/// Each consumer has a stream of its own, so that, for example, turning on
/// dropout does not change the initial weights or the data order.
public struct RandomStreams: Codable, Equatable, Sendable {
    /// Initial weights.
    public var initialization: RandomStream
    /// Data order: shuffling and random offsets.
    public var dataOrder: RandomStream
    /// Dropout masks.
    public var dropout: RandomStream
    /// Random truncation lengths.
    public var truncation: RandomStream

    public init(seed: UInt64) {
        initialization = RandomStream(seed: seed, stream: "initialization")
        dataOrder = RandomStream(seed: seed, stream: "data-order")
        dropout = RandomStream(seed: seed, stream: "dropout")
        truncation = RandomStream(seed: seed, stream: "truncation")
    }

    private enum CodingKeys: String, CodingKey { case initialization, dataOrder = "data_order", dropout, truncation }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func stream(_ key: CodingKeys) throws -> RandomStream {
            let words = try container.decode([UInt64].self, forKey: key)
            guard words.count == 4 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "a stream state has 4 words")
            }
            return RandomStream(state: (words[0], words[1], words[2], words[3]))
        }
        initialization = try stream(.initialization)
        dataOrder = try stream(.dataOrder)
        dropout = try stream(.dropout)
        truncation = try stream(.truncation)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for (key, stream) in [(CodingKeys.initialization, initialization), (.dataOrder, dataOrder), (.dropout, dropout), (.truncation, truncation)] {
            try container.encode([stream.state.0, stream.state.1, stream.state.2, stream.state.3], forKey: key)
        }
    }
}
