import RNNLabNumerics

/// A trainable tensor with its gradient, named like an entry of a PyTorch
/// `state_dict` (`weight_ih_l0`, `decoder.bias`, …).
///
/// Every model lists its parameters in one array; optimizers, gradient
/// clipping and the HDF5 store iterate that list and need nothing else.
public final class Parameter<T: Scalar> {
    /// The `state_dict` key, e.g. `rnn.weight_hh_l1_reverse`.
    public let name: String
    /// The current value.
    public let value: Tensor<T>
    /// The gradient of the loss, accumulated by backward passes until `zeroGradient()`.
    public let gradient: Tensor<T>

    /// Creates a zero-initialised parameter and gradient of the given shape.
    public init(name: String, shape: [Int]) {
        self.name = name
        self.value = Tensor(shape: shape)
        self.gradient = Tensor(shape: shape)
    }

    /// The shape of the value (and of the gradient).
    public var shape: [Int] { value.shape }

    /// Sets the gradient to zero.
    public func zeroGradient() { gradient.zero() }

    /// Multiplies the gradient by `factor`.
    public func scaleGradient(by factor: T) {
        T.scale(count: gradient.count, alpha: factor, x: gradient.data)
    }

    /// The same parameter under `prefix.name`, sharing value and gradient storage.
    func prefixed(_ prefix: String) -> Parameter<T> {
        Parameter(name: prefix.isEmpty ? name : "\(prefix).\(name)", value: value, gradient: gradient)
    }

    private init(name: String, value: Tensor<T>, gradient: Tensor<T>) {
        self.name = name
        self.value = value
        self.gradient = gradient
    }
}

/// A module that owns trainable parameters.
public protocol ParameterOwner {
    associatedtype Element: Scalar
    /// Every parameter, in `state_dict` order.
    var parameters: [Parameter<Element>] { get }
}

extension ParameterOwner {
    /// Sets every gradient to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }

    /// The total number of trainable scalars.
    public var parameterCount: Int {
        parameters.reduce(0) { $0 + $1.value.count }
    }

    /// The parameter with the given `state_dict` name, if any.
    public func parameter(named name: String) -> Parameter<Element>? {
        parameters.first { $0.name == name }
    }
}
