import RNNLabLayers
import RNNLabTasks

/// The model of a run, apart from what the task fixes (input and head).
public struct ModelSettings: Codable, Equatable, Sendable {
    public var cell: CellKind
    public var hiddenSize: Int
    public var layers: Int
    public var bidirectional: Bool
    public var dropout: Double
    public var readout: SequenceReadout
    /// The decoder and attention of an encoder–decoder (`model.kind: seq2seq`); nil for sequence models.
    public var seq2seq: Seq2SeqModelSettings?
    /// IndRNN's bound on |u| after every update (`model.recurrent_max`); nil for none. Absent
    /// from the encoded configuration when nil, so other runs keep their ids.
    public var recurrentMax: Double?
    /// The TCN of `model.kind: tcn` (then `hidden_size` = channels, `layers` = levels); nil otherwise.
    public var tcn: TCNModelSettings?
    /// The Transformer of `model.kind: transformer` (then `hidden_size` = width); nil otherwise.
    public var transformer: TransformerModelSettings?

    /// The defaults of the settings an experiment file or `rnnlab train` may leave out.
    public static let defaultLayers = 1
    public static let defaultBidirectional = false
    public static let defaultDropout = 0.0
    public static let defaultReadout = SequenceReadout.finalState

    public init(cell: CellKind, hiddenSize: Int, layers: Int = defaultLayers, bidirectional: Bool = defaultBidirectional,
                dropout: Double = defaultDropout, readout: SequenceReadout = defaultReadout, seq2seq: Seq2SeqModelSettings? = nil,
                recurrentMax: Double? = nil, tcn: TCNModelSettings? = nil, transformer: TransformerModelSettings? = nil) {
        self.seq2seq = seq2seq
        self.recurrentMax = recurrentMax
        self.tcn = tcn
        self.transformer = transformer
        self.cell = cell
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.readout = readout
    }

    /// The experiment-file name of the model's kind: `sequence`, `seq2seq`, `tcn` or `transformer`.
    public var kindName: String {
        if seq2seq != nil { return "seq2seq" }
        if tcn != nil { return "tcn" }
        if transformer != nil { return "transformer" }
        return "sequence"
    }

    /// The full model configuration for a task.
    public func configuration(for task: any SequenceTask) -> SequenceModelConfiguration {
        SequenceModelConfiguration(input: task.input, cell: cell, hiddenSize: hiddenSize, layers: layers,
                                   bidirectional: bidirectional, head: task.head, readout: readout, dropout: dropout,
                                   recurrentMax: recurrentMax)
    }
}
