/// The independent random streams of one run, all derived from its seed.
///
/// Each consumer has a stream of its own, so that, for example, turning on
/// dropout does not change the initial weights or the data order.
public struct RandomStreams: Equatable, Sendable {
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

    /// The streams' states by name, for checkpoints.
    public var states: [(name: String, state: [UInt64])] {
        [("initialization", initialization), ("data-order", dataOrder), ("dropout", dropout), ("truncation", truncation)]
            .map { ($0.0, [$0.1.state.0, $0.1.state.1, $0.1.state.2, $0.1.state.3]) }
    }
}
