import RNNLabLayers
import RNNLabNumerics
import XCTest

/// A recurrent network wired to a fixed random linear loss
///     L = Σ output ⊙ w_out + Σ h_n ⊙ w_h + Σ c_n ⊙ w_c,
/// with its input and initial states, so that analytic gradients can be
/// compared with finite differences or with another implementation.
final class RecurrentProbe<T: Scalar> {
    let network: RecurrentNetwork<T>
    let input: Tensor<T>
    let initialHidden: Tensor<T>?
    let initialCell: Tensor<T>?
    let lengths: [Int]?
    let outputWeights: Tensor<T>
    let hiddenWeights: Tensor<T>
    let cellWeights: Tensor<T>?
    let dropoutSeed: UInt64?

    init(_ configuration: RecurrentConfiguration, steps: Int, batch: Int, givenState: Bool,
         lengths: [Int]? = nil, dropoutSeed: UInt64? = nil, seed: UInt64 = 7) {
        var random = RandomStream(seed: seed, stream: "probe")
        func randomTensor(_ shape: [Int], scale: Double = 1) -> Tensor<T> {
            let t = Tensor<T>(shape: shape)
            for i in 0..<t.count { t[i] = T(random.uniform(-scale, scale)) }
            return t
        }
        network = RecurrentNetwork(configuration)
        for parameter in network.parameters {
            for i in 0..<parameter.value.count { parameter.value[i] = T(random.uniform(-0.7, 0.7)) }
        }
        let D = configuration.directions, H = configuration.hiddenSize, L = configuration.layers
        input = randomTensor([steps, batch, configuration.inputSize])
        initialHidden = givenState ? randomTensor([L * D, batch, H], scale: 0.5) : nil
        initialCell = givenState && configuration.cell.hasCellState ? randomTensor([L * D, batch, H], scale: 0.5) : nil
        self.lengths = lengths
        outputWeights = randomTensor([steps, batch, D * H])
        hiddenWeights = randomTensor([L * D, batch, H])
        cellWeights = configuration.cell.hasCellState ? randomTensor([L * D, batch, H]) : nil
        self.dropoutSeed = dropoutSeed
    }

    /// Runs the forward pass (with the same dropout masks every time when `dropoutSeed` is set).
    func forward() {
        var random = RandomStream(seed: dropoutSeed ?? 0, stream: "dropout")
        network.forward(input, lengths: lengths, initialHidden: initialHidden, initialCell: initialCell,
                        training: dropoutSeed != nil, random: &random)
    }

    /// The loss of a fresh forward pass, accumulated in Double.
    func loss() -> Double {
        forward()
        var total = 0.0
        func add(_ a: Tensor<T>, _ w: Tensor<T>) {
            for i in 0..<a.count { total += Double(a[i]) * Double(w[i]) }
        }
        add(network.output, outputWeights)
        add(network.finalHidden, hiddenWeights)
        if let cellWeights { add(network.finalCell, cellWeights) }
        return total
    }

    /// Fills every parameter gradient and the input / initial-state gradients.
    func backward() {
        network.zeroGradients()
        forward()
        network.backward(outputGradient: outputWeights, finalHiddenGradient: hiddenWeights,
                         finalCellGradient: cellWeights)
    }

    /// Every differentiable quantity: (name, value tensor, gradient tensor after `backward`).
    var differentiables: [(name: String, value: Tensor<T>, gradient: Tensor<T>)] {
        var list = network.parameters.map { ($0.name, $0.value, $0.gradient) }
        list.append(("input", input, network.inputGradient))
        if let initialHidden { list.append(("h0", initialHidden, network.initialHiddenGradient)) }
        if let initialCell { list.append(("c0", initialCell, network.initialCellGradient)) }
        return list
    }
}

extension RecurrentProbe where T == Double {
    /// The largest relative error between the analytic gradients and
    /// finite differences over every scalar, with a description of the worst one.
    ///
    /// The numerical derivative is the fourth-order central stencil
    /// [8(f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))] / 12h, whose truncation error
    /// is O(h⁴), so round-off (about 1e-11 here) is what limits it. Relative
    /// error is |a − n| / max(|a|, |n|, floor): gradients smaller than `floor`
    /// are held to an absolute error of floor × 1e-6 instead.
    func maxRelativeGradientError(step h: Double = 1e-4, floor: Double = 1e-5) -> (error: Double, worst: String) {
        FiniteDifference.maxRelativeError(differentiables, loss: { self.loss() }, backward: { self.backward() }, step: h, floor: floor)
    }
}
