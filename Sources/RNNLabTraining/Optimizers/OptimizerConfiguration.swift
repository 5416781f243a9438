/// An optimizer and its hyper-parameters, with PyTorch's update rules and
/// defaults (see `docs/training.md` for the exact equations).
public enum OptimizerConfiguration: Codable, Equatable, Sendable {
    /// SGD with optional momentum (PyTorch: dampening 0) and Nesterov momentum.
    case sgd(learningRate: Double, momentum: Double = Defaults.momentum, nesterov: Bool = Defaults.nesterov, weightDecay: Double = Defaults.weightDecay)
    /// Adam (Kingma & Ba 2015) with bias correction.
    case adam(learningRate: Double = Defaults.adamLearningRate, beta1: Double = Defaults.beta1, beta2: Double = Defaults.beta2,
              epsilon: Double = Defaults.adamEpsilon, weightDecay: Double = Defaults.weightDecay)
    /// RMSProp as PyTorch: ε added outside the square root, optional momentum.
    case rmsprop(learningRate: Double = Defaults.rmspropLearningRate, alpha: Double = Defaults.alpha, epsilon: Double = Defaults.rmspropEpsilon,
                 momentum: Double = Defaults.momentum, weightDecay: Double = Defaults.weightDecay)
    /// Adagrad (Duchi et al. 2011).
    case adagrad(learningRate: Double = Defaults.adagradLearningRate, epsilon: Double = Defaults.adagradEpsilon,
                 weightDecay: Double = Defaults.weightDecay)

    /// PyTorch's default hyper-parameters (SGD has no default learning rate).
    public enum Defaults {
        public static let momentum = 0.0
        public static let nesterov = false
        public static let weightDecay = 0.0
        public static let adamLearningRate = 1e-3
        public static let beta1 = 0.9
        public static let beta2 = 0.999
        public static let adamEpsilon = 1e-8
        public static let rmspropLearningRate = 1e-2
        public static let alpha = 0.99
        public static let rmspropEpsilon = 1e-8
        public static let adagradLearningRate = 1e-2
        public static let adagradEpsilon = 1e-10
    }

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
