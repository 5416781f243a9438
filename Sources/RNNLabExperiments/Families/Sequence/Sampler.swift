import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabTasks
import RealModule

/// Generation from a trained model, one step at a time with the state carried.
public enum Sampler {
    /// Continues `prime` by `length` tokens. Temperature 0 takes the most likely
    /// token; otherwise tokens are drawn from softmax(logits / temperature).
    public static func text(model: SequenceModel<Float>, tokenizer: any Tokenizer, prime: String, length: Int,
                            temperature: Double, seed: UInt64) throws -> String {
        guard case .classPerStep(let classes) = model.configuration.head, classes == tokenizer.size else {
            throw TaskError.invalid("this run is not a language model over its tokenizer's \(tokenizer.size) tokens")
        }
        guard model.configuration.recurrent.bidirectional == false else {
            throw TaskError.invalid("a bidirectional model cannot generate left to right")
        }
        var random = RandomStream(seed: seed, stream: "sampling")
        var ids = try tokenizer.encode(prime)
        if ids.isEmpty { ids = [0] }
        // Generation runs the scan cells (minGRU, minLSTM) in their sequential form, with the carried state.
        let scanMode = model.network.scanMode
        model.network.scanMode = .sequential
        defer { model.network.scanMode = scanMode }
        var generated: [Int32] = []
        var hidden: Tensor<Float>?, cell: Tensor<Float>?
        var input = ids
        for _ in 0..<length {
            let batch = SequenceBatch<Float>(steps: input.count, batch: 1, tokens: input,
                                             classTargets: [Int32](repeating: SequenceModel<Float>.ignoreIndex, count: input.count))
            model.forward(batch, initialHidden: hidden, initialCell: cell)
            hidden = model.network.finalHidden.clone()
            cell = model.configuration.recurrent.cell.hasCellState ? model.network.finalCell.clone() : nil
            let logits = model.predictions.data + (input.count - 1) * classes
            let next = Int32(draw(logits, count: classes, temperature: temperature, random: &random))
            generated.append(next)
            input = [next]
        }
        return prime + tokenizer.decode(generated)
    }

    /// `length` frames generated after `prime` (default: one silent frame),
    /// each key drawn from its predicted probability; the prime is not returned.
    public static func pianoRoll(model: SequenceModel<Float>, prime: [[Int]] = [[]], length: Int, seed: UInt64) throws -> [[Int]] {
        guard case .binaryPerStep(let keys) = model.configuration.head, keys == 88 else {
            throw TaskError.invalid("this run is not a piano-roll model")
        }
        var random = RandomStream(seed: seed, stream: "sampling")
        var frames = prime.isEmpty ? [[]] : prime
        let scanMode = model.network.scanMode
        model.network.scanMode = .sequential   // as for text: the scan cells' sequential form
        defer { model.network.scanMode = scanMode }
        var hidden: Tensor<Float>?, cell: Tensor<Float>?
        var pending = frames
        for _ in 0..<length {
            let features = Tensor<Float>(shape: [pending.count, 88])
            for (t, frame) in pending.enumerated() { for pitch in frame where (21...108).contains(pitch) { features[t * 88 + pitch - 21] = 1 } }
            let batch = SequenceBatch<Float>(steps: pending.count, batch: 1, features: features,
                                             valueTargets: Tensor(shape: [pending.count, 88]))
            model.forward(batch, initialHidden: hidden, initialCell: cell)
            hidden = model.network.finalHidden.clone()
            cell = model.configuration.recurrent.cell.hasCellState ? model.network.finalCell.clone() : nil
            let logits = model.predictions.data + (pending.count - 1) * 88
            let frame = (0..<88).filter { random.nextUnit() < Double(Kernels.sigmoid(logits[$0])) }.map { $0 + 21 }
            frames.append(frame)
            pending = [frame]
        }
        return Array(frames.suffix(length))
    }

    static func draw(_ logits: UnsafePointer<Float>, count: Int, temperature: Double, random: inout RandomStream) -> Int {
        if temperature <= 0 {
            var best = 0
            for j in 1..<count where logits[j] > logits[best] { best = j }
            return best
        }
        var maximum = -Double.infinity
        for j in 0..<count { maximum = max(maximum, Double(logits[j]) / temperature) }
        var weights = [Double](repeating: 0, count: count), total = 0.0
        for j in 0..<count { weights[j] = Double.exp(Double(logits[j]) / temperature - maximum); total += weights[j] }
        var u = random.nextUnit() * total
        for j in 0..<count {
            u -= weights[j]
            if u < 0 { return j }
        }
        return count - 1
    }
}
