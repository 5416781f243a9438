import RNNLabLayers
import RNNLabNumerics
import RealModule

/// Updates a model's parameters from their gradients, following PyTorch's
/// `torch.optim` update rules exactly (so runs can be cross-checked).
///
/// The optimizer keeps its state (momentum buffers, moment estimates) in
/// tensors parallel to the parameter list, named `NAME.STATE` for checkpoints.
public final class Optimizer<T: Scalar> {
    public let configuration: OptimizerConfiguration
    public let parameters: [Parameter<T>]
    /// The number of updates done so far (Adam's bias correction uses it).
    public private(set) var stepCount = 0
    private var first: [Tensor<T>] = []    // momentum buffer / Adam m / RMSProp momentum buffer
    private var second: [Tensor<T>] = []   // Adam v / RMSProp square average / Adagrad sum

    public init(_ configuration: OptimizerConfiguration, parameters: [Parameter<T>]) {
        self.configuration = configuration
        self.parameters = parameters
        let zeros = { parameters.map { Tensor<T>(shape: $0.shape) } }
        switch configuration {
        case .sgd(_, let momentum, _, _):
            if momentum != 0 { first = zeros() }
        case .adam:
            first = zeros(); second = zeros()
        case .rmsprop(_, _, _, let momentum, _):
            second = zeros()
            if momentum != 0 { first = zeros() }
        case .adagrad:
            second = zeros()
        }
    }

    /// The optimizer state for checkpoints: (name, tensor) pairs, in a fixed order.
    public var state: [(name: String, tensor: Tensor<T>)] {
        let names: (String, String)
        switch configuration {
        case .sgd, .rmsprop: names = ("momentum_buffer", "square_avg")
        case .adam: names = ("exp_avg", "exp_avg_sq")
        case .adagrad: names = ("", "sum")
        }
        var result: [(String, Tensor<T>)] = []
        for (p, t) in zip(parameters, first) { result.append(("\(p.name).\(names.0)", t)) }
        for (p, t) in zip(parameters, second) { result.append(("\(p.name).\(names.1)", t)) }
        return result
    }

    /// Restores the step count (the state tensors are restored through `state`).
    public func restore(stepCount: Int) { self.stepCount = stepCount }

    /// Applies one update with the given learning rate (the schedule's, for this epoch).
    public func step(learningRate lr: Double) {
        stepCount += 1
        let weightDecay = T(configuration.weightDecay)
        for (index, parameter) in parameters.enumerated() {
            let p = parameter.value.data, g = parameter.gradient.data, n = parameter.value.count
            switch configuration {
            case .sgd(_, let momentum, let nesterov, _):
                // g ← g + λp; buf ← μ·buf + g (buf = g at the first step); g ← g + μ·buf (Nesterov) or buf; p ← p − lr·g
                let mu = T(momentum), rate = T(lr)
                if momentum == 0 {
                    for i in 0..<n { p[i] -= rate * (g[i] + weightDecay * p[i]) }
                } else {
                    let buf = first[index].data, firstStep = stepCount == 1
                    for i in 0..<n {
                        let d = g[i] + weightDecay * p[i]
                        buf[i] = firstStep ? d : mu * buf[i] + d
                        p[i] -= rate * (nesterov ? d + mu * buf[i] : buf[i])
                    }
                }
            case .adam(_, let beta1, let beta2, let epsilon, _):
                // m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
                let m = first[index].data, v = second[index].data
                let b1 = T(beta1), b2 = T(beta2), eps = T(epsilon)
                let correction1 = 1 - Double.pow(beta1, Double(stepCount))
                let correction2 = 1 - Double.pow(beta2, Double(stepCount))
                let stepSize = T(lr / correction1), rootCorrection2 = T(correction2.squareRoot())
                if T.self == Float.self {
                    Self.adamFloat(p: floats(p), g: UnsafePointer(floats(g)), m: floats(m), v: floats(v), count: n,
                                   weightDecay: Float(weightDecay), beta1: Float(b1), beta2: Float(b2), epsilon: Float(eps),
                                   stepSize: Float(stepSize), rootCorrection2: Float(rootCorrection2))
                    continue
                }
                for i in 0..<n {
                    let d = g[i] + weightDecay * p[i]
                    m[i] = b1 * m[i] + (1 - b1) * d
                    v[i] = b2 * v[i] + (1 - b2) * d * d
                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
                }
            case .rmsprop(_, let alpha, let epsilon, let momentum, _):
                // s ← α·s + (1−α)·g²; a = √s + ε; buf ← μ·buf + g/a, p ← p − lr·buf (μ > 0) or p ← p − lr·g/a
                let s = second[index].data, a = T(alpha), eps = T(epsilon), rate = T(lr), mu = T(momentum)
                for i in 0..<n {
                    let d = g[i] + weightDecay * p[i]
                    s[i] = a * s[i] + (1 - a) * d * d
                    let scaled = d / (s[i].squareRoot() + eps)
                    if momentum != 0 {
                        let buf = first[index].data
                        buf[i] = mu * buf[i] + scaled
                        p[i] -= rate * buf[i]
                    } else {
                        p[i] -= rate * scaled
                    }
                }
            case .adagrad(_, let epsilon, _):
                // s ← s + g²; p ← p − lr · g / (√s + ε)
                let s = second[index].data, eps = T(epsilon), rate = T(lr)
                for i in 0..<n {
                    let d = g[i] + weightDecay * p[i]
                    s[i] += d * d
                    p[i] -= rate * d / (s[i].squareRoot() + eps)
                }
            }
        }
    }

    /// The Adam update above in float32, eight elements per SIMD step with the
    /// same operations in the same order (bit-identical to the scalar loop).
    @inline(__always)
    private static func adamFloat(
        p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count n: Int, weightDecay: Float, beta1 b1: Float, beta2 b2: Float,
        epsilon eps: Float, stepSize: Float, rootCorrection2: Float
    ) {
        let vectorEnd = n - n % 8
        var i = 0
        while i < vectorEnd {
            let d = g.load8(i) + weightDecay * p.load8(i)
            let mi = b1 * m.load8(i) + (1 - b1) * d
            let vi = b2 * v.load8(i) + (1 - b2) * d * d
            m.store8(mi, at: i)
            v.store8(vi, at: i)
            p.store8(p.load8(i) - stepSize * mi / (vi.squareRoot() / rootCorrection2 + eps), at: i)
            i += 8
        }
        while i < n {
            let d = g[i] + weightDecay * p[i]
            m[i] = b1 * m[i] + (1 - b1) * d
            v[i] = b2 * v[i] + (1 - b2) * d * d
            p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
            i += 1
        }
    }
}

@inline(__always)
private func floats<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}
