@_exported import RNNLabLayers

/// An optimizer and its hyper-parameters, with PyTorch's update rules and
/// defaults (see `docs/training.md` for the exact equations).
public enum OptimizerConfiguration: Codable, Equatable, Sendable {
    /// SGD with optional momentum (PyTorch: dampening 0) and Nesterov momentum.
    case sgd(learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0)
    /// Adam (Kingma & Ba 2015) with bias correction.
    case adam(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
              epsilon: Double = 1e-8, weightDecay: Double = 0)
    /// RMSProp as PyTorch: ε added outside the square root, optional momentum.
    case rmsprop(learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8,
                 momentum: Double = 0, weightDecay: Double = 0)
    /// Adagrad (Duchi et al. 2011).
    case adagrad(learningRate: Double = 1e-2, epsilon: Double = 1e-10, weightDecay: Double = 0)

    /// The base learning rate, before any schedule.
    public var learningRate: Double {
        switch self {
        case .sgd(let lr, _, _, _), .adam(let lr, _, _, _, _), .rmsprop(let lr, _, _, _, _), .adagrad(let lr, _, _): lr
        }
    }

    /// The L2 weight-decay coefficient λ: g ← g + λ·p before the update.
    public var weightDecay: Double {
        switch self {
        case .sgd(_, _, _, let wd), .adam(_, _, _, _, let wd), .rmsprop(_, _, _, _, let wd), .adagrad(_, _, let wd): wd
        }
    }
}
