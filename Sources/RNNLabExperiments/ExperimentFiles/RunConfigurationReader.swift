import RNNLabData
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// Reads the `task`, `model` and `training` sections of an experiment file
/// (after compare axes and profiles are applied) into a `RunConfiguration`.
/// The schema is documented in `docs/experiments.md`.
struct RunConfigurationReader {
    let reader = ConfigReader()
    static let taskKinds: [String: [String]] = [
        "adding": ["length", "training_examples", "evaluation_examples"],
        "copy_memory": ["delay", "training_examples", "evaluation_examples"],
        "embedded_reber": ["training_examples", "evaluation_examples"],
        "language_model": ["data", "tokens", "merges", "max_vocabulary", "end_of_sentence", "steps", "partitioning", "embedding"],
        "music": ["data"],
        "sentiment": ["data", "embedding", "max_vocabulary"],
        "forecasting": ["data", "window"],
        "sequential_image": ["data", "order", "training_examples", "validation_examples", "test_examples"],
        "reversal": seq2seqTaskKeys, "sorting": seq2seqTaskKeys, "dates": seq2seqTaskKeys, "addition": seq2seqTaskKeys,
    ]
    static let seq2seqTaskKeys = ["max_training_length", "test_lengths", "training_examples", "validation_examples",
                                  "test_examples_per_length"]
    static let seq2seqModelKeys = ["attention", "embedding", "decoder_cell", "decoder_hidden_size", "decoder_layers", "attention_size"]
    static let tcnModelKeys = ["levels", "channels", "kernel_size"]
    static let transformerModelKeys = ["width", "heads", "mlp_ratio", "context", "positions"]
    /// The keys each model kind takes (beside `kind`).
    static let modelKeys: [String: [String]] = [
        "sequence": ["cell", "hidden_size", "layers", "bidirectional", "dropout", "readout", "recurrent_max"],
        "seq2seq": ["cell", "hidden_size", "layers", "bidirectional", "dropout"] + seq2seqModelKeys,
        "tcn": tcnModelKeys + ["dropout", "readout"],
        "transformer": transformerModelKeys + ["layers", "dropout", "readout"],
    ]

    /// `root` holds `task`, `model`, `training` (and may hold other top-level keys, read elsewhere).
    func read(_ root: ConfigNode, seed: UInt64) throws -> RunConfiguration {
        var cache = SectionCache()
        return try read(root, seed: seed, cache: &cache).configuration
    }

    /// The same, reading each distinct section once across calls that share `cache` (planning a grid);
    /// also returns the sections' structural keys, which `SectionCache.runID(of:keys:)` takes.
    func read(_ root: ConfigNode, seed: UInt64, cache: inout SectionCache) throws -> (configuration: RunConfiguration, keys: SectionCache.Keys) {
        guard let taskNode = root.child(["task"]) else { throw missing("task", in: root) }
        guard let modelNode = root.child(["model"]) else { throw missing("model", in: root) }
        guard let trainingNode = root.child(["training"]) else { throw missing("training", in: root) }
        let trainingKey = trainingNode.structuralKey, taskKey = taskNode.structuralKey, modelKey = modelNode.structuralKey
        var (training, batchSize) = try cache.trainings[trainingKey] ?? readTraining(trainingNode, seed: seed)
        cache.trainings[trainingKey] = (training, batchSize)
        training.seed = seed
        let task = try cache.tasks[taskKey] ?? readTask(taskNode)
        cache.tasks[taskKey] = task
        let model = try cache.models[modelKey] ?? readModel(modelNode)
        cache.models[modelKey] = model
        let configuration = RunConfiguration(task: task, model: model, training: training, batchSize: batchSize)
        try checkModelFitsTask(configuration, modelNode: modelNode, trainingNode: trainingNode)
        try UserDataSize.check(configuration, taskNode: taskNode)
        return (configuration, SectionCache.Keys(task: taskKey, model: modelKey, training: trainingKey))
    }

    /// Sequence-to-sequence tasks need encoder–decoder models and the other tasks sequence models.
    private func checkModelFitsTask(_ configuration: RunConfiguration, modelNode: ConfigNode, trainingNode: ConfigNode) throws {
        let isSeq2SeqTask: Bool
        if case .seq2seq = configuration.task { isSeq2SeqTask = true } else { isSeq2SeqTask = false }
        let isSeq2SeqModel = configuration.model.seq2seq != nil
        if isSeq2SeqTask != isSeq2SeqModel {
            throw ExperimentError(position: modelNode.position, key: "model.kind",
                                  message: isSeq2SeqTask ? "this sequence-to-sequence task needs model.kind: seq2seq"
                                                         : "model.kind: seq2seq needs a sequence-to-sequence task (reversal, sorting, dates, addition)")
        }
        if configuration.model.tcn != nil {
            try checkFeedForward(configuration, modelNode: modelNode, trainingNode: trainingNode, context: nil, kind: "tcn")
        }
        if let transformer = configuration.model.transformer {
            try checkFeedForward(configuration, modelNode: modelNode, trainingNode: trainingNode, context: transformer.context,
                                 kind: "transformer")
        }
        guard isSeq2SeqModel else { return }
        do {
            _ = try configuration.model.encoderDecoderConfiguration(vocabulary: 4)
        } catch {
            throw ExperimentError(position: modelNode.position, key: "model", message: "\(error)")
        }
        if configuration.training.truncation != .full || configuration.training.initialization != .pytorch {
            throw ExperimentError(position: trainingNode.position, key: "training",
                                  message: "encoder–decoder models train with full back-propagation and PyTorch's default initialisation (no truncation, no init)")
        }
    }

    /// Non-recurrent models train with full back-propagation and their own initialisation, read out per sequence
    /// by the last step or the mean, and (Transformers) see at most `context` steps of the fixed-length tasks.
    private func checkFeedForward(_ configuration: RunConfiguration, modelNode: ConfigNode, trainingNode: ConfigNode,
                                  context: Int?, kind: String) throws {
        if configuration.training.truncation != .full || configuration.training.initialization != .pytorch {
            throw ExperimentError(position: trainingNode.position, key: "training",
                                  message: "model.kind: \(kind) trains with full back-propagation and its own initialisation (no truncation, no init)")
        }
        if configuration.model.readout == .attentionPool {
            throw ExperimentError(position: modelNode.position, key: "model.readout",
                                  message: "model.kind: \(kind) reads out by final_state or mean_pool")
        }
        guard let context, configuration.model.transformer?.positions == .learned else { return }
        let length: Int?
        switch configuration.task {
        case .adding(let T, _, _): length = T
        case .copyMemory(let delay, _, _): length = delay + 20
        case .languageModel(_, _, let steps, _, _, _): length = steps
        case .forecasting(_, let window, _): length = window
        case .sequentialImage(_, let order, _, _, _): length = order == .rows ? 28 : 784
        default: length = nil
        }
        if let length, length > context {
            throw ExperimentError(position: modelNode.position, key: "model.context",
                                  message: "\(context) positions, but the task's sequences have \(length) steps (raise context or use positions: sinusoidal)")
        }
    }

    private func missing(_ key: String, in node: ConfigNode) -> ExperimentError {
        ExperimentError(position: node.position, key: key, message: "missing section")
    }

    func readTask(_ node: ConfigNode) throws -> TaskSpecification {
        let (kind, f) = try reader.kinded(node, "task", kinds: Self.taskKinds)
        func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            try f[key].map { try reader.int($0, "task.\(key)", in: range) } ?? fallback
        }
        /// A registered data set's name, or a user's data file (a mapping, or a name in the project's data registry).
        func data(_ names: [String]) throws -> (name: String, file: DataFileReference?) {
            guard let node = f["data"] else {
                throw ExperimentError(position: node.position, key: "task.data", message: "missing; one of \(names.joined(separator: ", ")), or {path: FILE}")
            }
            if case .mapping = node { let file = try DataFileSection().read(node, kind: kind); return (file.name, file) }
            let name = try reader.scalar(node, "task.data")
            if names.contains(name) { return (name, nil) }
            let registry = try ProjectDataRegistry.load()
            if registry.contains(name), let file = try registry.reference(named: name, kind: kind) { return (name, file) }
            let known = names + registry.entries.map(\.name)
            let hint = nearest(name, in: known).map { "; did you mean '\($0)'?" } ?? ""
            throw ExperimentError(position: node.position, key: "task.data",
                                  message: "'\(name)' is not one of \(known.joined(separator: ", "))\(hint) (or give a file: {path: FILE})")
        }
        let examples = (try int("training_examples", TaskSpecification.defaultTrainingExamples, 1...10_000_000),
                        try int("evaluation_examples", TaskSpecification.defaultEvaluationExamples, 1...1_000_000))
        if let seq2seqKind = Seq2SeqTaskKind(rawValue: kind) {
            let minimum = seq2seqKind == .dates ? 8 : 1
            let testLengths = try f["test_lengths"].map { node -> [Int] in
                guard case .sequence(let items, _) = node, !items.isEmpty else {
                    throw ExperimentError(position: node.position, key: "task.test_lengths", message: "expected a non-empty list of lengths")
                }
                return try items.map { try reader.int($0, "task.test_lengths", in: minimum...10_000) }
            }
            return .seq2seq(Seq2SeqTaskSpecification(
                kind: seq2seqKind, maxTrainingLength: try int("max_training_length", Seq2SeqTaskSpecification.defaultMaxTrainingLength(for: seq2seqKind), minimum...10_000),
                testLengths: testLengths, trainingExamples: examples.0,
                validationExamples: try int("validation_examples", Seq2SeqTaskSpecification.defaultValidationExamples, 1...1_000_000),
                testExamplesPerLength: try int("test_examples_per_length", Seq2SeqTaskSpecification.defaultTestExamplesPerLength, 1...1_000_000)))
        }
        switch kind {
        case "adding": return .adding(length: try int("length", TaskSpecification.defaultLength, 2...100_000), trainingExamples: examples.0, evaluationExamples: examples.1)
        case "copy_memory": return .copyMemory(delay: try int("delay", TaskSpecification.defaultLength, 1...100_000), trainingExamples: examples.0, evaluationExamples: examples.1)
        case "embedded_reber":
            return .embeddedReber(trainingExamples: try int("training_examples", TaskSpecification.defaultReberTrainingExamples, 1...10_000_000), evaluationExamples: examples.1)
        case "music":
            let source = try data(["jsb_chorales", "nottingham"])
            return .music(dataSet: source.name, file: source.file)
        case "sentiment":
            let source = try data(["mr", "sst2"])
            return .sentiment(dataSet: source.name, embedding: try int("embedding", TaskSpecification.defaultSentimentEmbedding, 1...4096),
                              maxVocabulary: try f["max_vocabulary"].map { try reader.int($0, "task.max_vocabulary", in: 2...10_000_000) },
                              file: source.file)
        case "sequential_image":
            let order = try f["order"].map { try reader.choice($0, "task.order", ImageOrder.allCases.map(\.rawValue)) } ?? ImageOrder.rows.rawValue
            let source = try data(["fashion_mnist"])
            if source.file != nil, let node = f["data"] {
                throw ExperimentError(position: node.position, key: "task.data", message: "sequential_image reads a registered IDX data set by name (fashion_mnist)")
            }
            return .sequentialImage(dataSet: source.name, order: ImageOrder(rawValue: order) ?? .rows,
                                    trainingExamples: try f["training_examples"].map { try reader.int($0, "task.training_examples", in: 1...10_000_000) },
                                    validationExamples: try int("validation_examples", TaskSpecification.defaultImageValidationExamples, 1...1_000_000),
                                    testExamples: try f["test_examples"].map { try reader.int($0, "task.test_examples", in: 1...10_000_000) })
        case "forecasting":
            let source = try data(["sunspots", "airline_passengers", "daily_min_temperatures", "noisy_sine", "mackey_glass"])
            return .forecasting(series: source.name, window: try int("window", TaskSpecification.defaultWindow, 1...10_000), file: source.file)
        default:
            let tokens = try f["tokens"].map { try reader.choice($0, "task.tokens", ["characters", "words", "bpe"]) } ?? "characters"
            let tokenization: Tokenization
            switch tokens {
            case "words":
                tokenization = .words(endOfSentence: try f["end_of_sentence"].map { try reader.bool($0, "task.end_of_sentence") } ?? Tokenization.defaultEndOfSentence,
                                      maxVocabulary: try f["max_vocabulary"].map { try reader.int($0, "task.max_vocabulary", in: 2...10_000_000) })
            case "bpe": tokenization = .bytePairs(merges: try int("merges", Tokenization.defaultMerges, 0...100_000))
            default: tokenization = .characters
            }
            let partitioning = try f["partitioning"].map { StreamPartitioning(rawValue: try reader.choice($0, "task.partitioning", ["sequential", "random"])) } ?? TaskSpecification.defaultPartitioning
            let source = try data(["tinyshakespeare", "timemachine", "ptb"])
            return .languageModel(dataSet: source.name, tokenization: tokenization,
                                  steps: try int("steps", TaskSpecification.defaultSteps, 1...100_000), partitioning: partitioning ?? TaskSpecification.defaultPartitioning,
                                  embedding: try f["embedding"].map { try reader.int($0, "task.embedding", in: 1...4096) }, file: source.file)
        }
    }

    func readModel(_ node: ConfigNode) throws -> ModelSettings {
        let f = try reader.mapping(node, "model", known: ["kind", "cell", "hidden_size", "layers", "bidirectional", "dropout", "readout", "recurrent_max"]
                                   + Self.seq2seqModelKeys + Self.tcnModelKeys + Self.transformerModelKeys)
        let kind = try f["kind"].map { try reader.choice($0, "model.kind", ["sequence", "seq2seq", "tcn", "transformer"]) } ?? "sequence"
        let allowed = Self.modelKeys[kind] ?? []
        for (key, value) in f.sorted(by: { $0.key < $1.key }) where key != "kind" && !allowed.contains(key) {
            let owners = Self.modelKeys.filter { $0.value.contains(key) }.map(\.key).sorted()
            throw ExperimentError(position: value.position, key: "model.\(key)",
                                  message: kind == "sequence" ? "only for model.kind: \(owners.filter { $0 != "sequence" }.joined(separator: ", "))"
                                                              : "not an option of \(kind) models")
        }
        if kind == "tcn" || kind == "transformer" { return try readFeedForwardModel(kind, f, node) }
        guard let cellNode = f["cell"] else { throw ExperimentError(position: node.position, key: "model.cell", message: "missing") }
        guard let hiddenNode = f["hidden_size"] else { throw ExperimentError(position: node.position, key: "model.hidden_size", message: "missing") }
        let cells = CellKind.allCases.map(\.rawValue)
        let cell = CellKind(rawValue: try reader.choice(cellNode, "model.cell", cells)) ?? .lstm
        let hiddenSize = try reader.int(hiddenNode, "model.hidden_size", in: 1...8192)
        let layers = try f["layers"].map { try reader.int($0, "model.layers", in: 1...16) } ?? ModelSettings.defaultLayers
        let recurrentMax = try f["recurrent_max"].map { try reader.double($0, "model.recurrent_max", in: 1e-6...1e6) }
        if let node = f["recurrent_max"], cell.recurrence != .diagonal || kind == "seq2seq" {
            throw ExperimentError(position: node.position, key: "model.recurrent_max",
                                  message: "only for the IndRNN cells of sequence models (indrnn, indrnn_tanh), not \(cell.rawValue)")
        }
        var seq2seq: Seq2SeqModelSettings?
        if kind == "seq2seq" {
            let attention = try f["attention"].map { try reader.choice($0, "model.attention", ["none"] + AttentionKind.allCases.map(\.rawValue)) } ?? "none"
            seq2seq = Seq2SeqModelSettings(
                attention: AttentionKind(rawValue: attention),
                embedding: try f["embedding"].map { try reader.int($0, "model.embedding", in: 1...4096) } ?? Seq2SeqModelSettings.defaultEmbedding,
                decoderCell: try f["decoder_cell"].map { CellKind(rawValue: try reader.choice($0, "model.decoder_cell", cells)) ?? cell } ?? cell,
                decoderHiddenSize: try f["decoder_hidden_size"].map { try reader.int($0, "model.decoder_hidden_size", in: 1...8192) } ?? hiddenSize,
                decoderLayers: try f["decoder_layers"].map { try reader.int($0, "model.decoder_layers", in: 1...16) } ?? layers,
                attentionSize: try f["attention_size"].map { try reader.int($0, "model.attention_size", in: 1...8192) })
        }
        return ModelSettings(
            cell: cell,
            hiddenSize: hiddenSize,
            layers: layers,
            bidirectional: try f["bidirectional"].map { try reader.bool($0, "model.bidirectional") } ?? ModelSettings.defaultBidirectional,
            dropout: try f["dropout"].map { try reader.double($0, "model.dropout", in: 0...0.95) } ?? ModelSettings.defaultDropout,
            readout: try f["readout"].map(readReadout) ?? ModelSettings.defaultReadout,
            seq2seq: seq2seq,
            recurrentMax: recurrentMax)
    }

    /// `model.kind: tcn` (`levels`, `channels`, `kernel_size`, `dropout`, `readout`: final_state by default) or
    /// `transformer` (`layers`, `width`, `heads`, `mlp_ratio`, `context`, `positions`, `dropout`, `readout`: mean_pool
    /// by default). `hidden_size` holds the channels or the width, `layers` the levels or blocks; `cell` is unused.
    func readFeedForwardModel(_ kind: String, _ f: [String: ConfigNode], _ node: ConfigNode) throws -> ModelSettings {
        func required(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let value = f[key] else { throw ExperimentError(position: node.position, key: "model.\(key)", message: "missing") }
            return try reader.int(value, "model.\(key)", in: range)
        }
        let dropout = try f["dropout"].map { try reader.double($0, "model.dropout", in: 0...0.95) } ?? ModelSettings.defaultDropout
        if kind == "tcn" {
            let tcn = TCNModelSettings(levels: try required("levels", 1...16), channels: try required("channels", 1...8192),
                                       kernelSize: try f["kernel_size"].map { try reader.int($0, "model.kernel_size", in: 2...64) } ?? TCNModelSettings.defaultKernelSize)
            return ModelSettings(cell: .rnnTanh, hiddenSize: tcn.channels, layers: tcn.levels, dropout: dropout,
                                 readout: try f["readout"].map(readReadout) ?? .finalState, tcn: tcn)
        }
        let width = try required("width", 1...8192)
        let heads = try f["heads"].map { try reader.int($0, "model.heads", in: 1...256) } ?? 1
        guard width % heads == 0 else {
            throw ExperimentError(position: (f["heads"] ?? node).position, key: "model.heads", message: "\(heads) heads do not divide width \(width)")
        }
        let positions = try f["positions"].map { try reader.choice($0, "model.positions", PositionEncoding.allCases.map(\.rawValue)) }
        let transformer = TransformerModelSettings(
            heads: heads, mlpRatio: try f["mlp_ratio"].map { try reader.int($0, "model.mlp_ratio", in: 1...16) } ?? TransformerModelSettings.defaultMLPRatio,
            context: try required("context", 1...100_000),
            positions: positions.flatMap(PositionEncoding.init(rawValue:)) ?? TransformerModelSettings.defaultPositions)
        return ModelSettings(cell: .rnnTanh, hiddenSize: width,
                             layers: try f["layers"].map { try reader.int($0, "model.layers", in: 1...48) } ?? ModelSettings.defaultLayers,
                             dropout: dropout, readout: try f["readout"].map(readReadout) ?? .meanPool, transformer: transformer)
    }

    /// `model.readout`: final_state (or last), mean_pool (or mean), attention.
    func readReadout(_ node: ConfigNode) throws -> SequenceReadout {
        switch try reader.choice(node, "model.readout", ["final_state", "last", "mean_pool", "mean", "attention"]) {
        case "mean_pool", "mean": return .meanPool
        case "attention": return .attentionPool
        default: return .finalState
        }
    }

    func readTraining(_ node: ConfigNode, seed: UInt64) throws -> (TrainingConfiguration, Int) {
        let f = try reader.mapping(node, "training", known: ["epochs", "max_steps", "max_tokens", "batch_size", "optimizer", "schedule", "clipping",
                                                            "truncation", "init", "early_stopping_patience", "wall_clock_minutes",
                                                            "loss_reduction"])
        guard let epochs = f["epochs"] else { throw ExperimentError(position: node.position, key: "training.epochs", message: "missing") }
        guard let optimizer = f["optimizer"] else { throw ExperimentError(position: node.position, key: "training.optimizer", message: "missing") }
        let configuration = TrainingConfiguration(
            epochs: try reader.int(epochs, "training.epochs", in: 1...100_000),
            maxSteps: try f["max_steps"].map { try reader.int($0, "training.max_steps", in: 1...1_000_000_000) },
            optimizer: try readOptimizer(optimizer),
            schedule: try f["schedule"].map(readSchedule) ?? TrainingConfiguration.defaultSchedule,
            clipping: try f["clipping"].map(readClipping) ?? TrainingConfiguration.defaultClipping,
            truncation: try f["truncation"].map(readTruncation) ?? TrainingConfiguration.defaultTruncation,
            initialization: try f["init"].map(readInitialization) ?? TrainingConfiguration.defaultInitialization,
            earlyStoppingPatience: try f["early_stopping_patience"].map { try reader.int($0, "training.early_stopping_patience", in: 1...10_000) },
            seed: seed,
            wallClockSeconds: try f["wall_clock_minutes"].map { try reader.double($0, "training.wall_clock_minutes", in: 0.01...1e6) * 60 },
            lossReduction: try f["loss_reduction"].flatMap {
                LossReduction(rawValue: try reader.choice($0, "training.loss_reduction", LossReduction.allCases.map(\.rawValue)))
            },
            maxTokens: try f["max_tokens"].map { try reader.int($0, "training.max_tokens", in: 1...1_000_000_000_000) })
        let batch = try f["batch_size"].map { try reader.int($0, "training.batch_size", in: 1...100_000) } ?? RunConfiguration.defaultBatchSize
        return (configuration, batch)
    }

    func readOptimizer(_ node: ConfigNode) throws -> OptimizerConfiguration {
        let (kind, f) = try reader.kinded(node, "training.optimizer", kinds: [
            "sgd": ["learning_rate", "momentum", "nesterov", "weight_decay"],
            "adam": ["learning_rate", "beta1", "beta2", "epsilon", "weight_decay"],
            "rmsprop": ["learning_rate", "alpha", "epsilon", "momentum", "weight_decay"],
            "adagrad": ["learning_rate", "epsilon", "weight_decay"],
        ])
        func number(_ key: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            try f[key].map { try reader.double($0, "training.optimizer.\(key)", in: range) } ?? fallback
        }
        let defaults = OptimizerConfiguration.Defaults.self
        let decay = try number("weight_decay", defaults.weightDecay, 0...1)
        switch kind {
        case "sgd":
            guard f["learning_rate"] != nil else {
                throw ExperimentError(position: node.position, key: "training.optimizer.learning_rate", message: "missing (SGD has no default)")
            }
            return .sgd(learningRate: try number("learning_rate", 0, 0...1e6), momentum: try number("momentum", defaults.momentum, 0...1),
                        nesterov: try f["nesterov"].map { try reader.bool($0, "training.optimizer.nesterov") } ?? defaults.nesterov, weightDecay: decay)
        case "adam":
            return .adam(learningRate: try number("learning_rate", defaults.adamLearningRate, 0...1e6), beta1: try number("beta1", defaults.beta1, 0...1),
                         beta2: try number("beta2", defaults.beta2, 0...1), epsilon: try number("epsilon", defaults.adamEpsilon, 0...1),
                         weightDecay: decay)
        case "rmsprop":
            return .rmsprop(learningRate: try number("learning_rate", defaults.rmspropLearningRate, 0...1e6), alpha: try number("alpha", defaults.alpha, 0...1),
                            epsilon: try number("epsilon", defaults.rmspropEpsilon, 0...1), momentum: try number("momentum", defaults.momentum, 0...1),
                            weightDecay: decay)
        default:
            return .adagrad(learningRate: try number("learning_rate", defaults.adagradLearningRate, 0...1e6),
                            epsilon: try number("epsilon", defaults.adagradEpsilon, 0...1), weightDecay: decay)
        }
    }

    func readSchedule(_ node: ConfigNode) throws -> LearningRateSchedule {
        let (kind, f) = try reader.kinded(node, "training.schedule", kinds: [
            "constant": [], "step_decay": ["after_epoch", "factor"], "reduce_on_plateau": ["factor", "patience", "threshold", "minimum"],
        ])
        let defaults = LearningRateSchedule.Defaults.self
        switch kind {
        case "step_decay":
            return .stepDecay(afterEpoch: try f["after_epoch"].map { try reader.int($0, "training.schedule.after_epoch", in: 0...100_000) } ?? defaults.afterEpoch,
                              factor: try f["factor"].map { try reader.double($0, "training.schedule.factor", in: 0...1) } ?? defaults.stepFactor)
        case "reduce_on_plateau":
            return .reduceOnPlateau(factor: try f["factor"].map { try reader.double($0, "training.schedule.factor", in: 0...1) } ?? defaults.plateauFactor,
                                    patience: try f["patience"].map { try reader.int($0, "training.schedule.patience", in: 0...10_000) } ?? defaults.patience,
                                    threshold: try f["threshold"].map { try reader.double($0, "training.schedule.threshold", in: 0...1) } ?? defaults.threshold,
                                    minimum: try f["minimum"].map { try reader.double($0, "training.schedule.minimum", in: 0...1e6) } ?? defaults.minimum)
        default: return .constant
        }
    }

    func readClipping(_ node: ConfigNode) throws -> GradientClipping {
        let (kind, f) = try reader.kinded(node, "training.clipping", kinds: [
            "none": [], "global_norm": ["threshold"], "per_tensor_norm": ["threshold"], "value": ["limit"],
        ])
        func positive(_ key: String) throws -> Double {
            guard let value = f[key] else {
                throw ExperimentError(position: node.position, key: "training.clipping.\(key)", message: "missing for \(kind)")
            }
            return try reader.double(value, "training.clipping.\(key)", in: 1e-12...1e12)
        }
        switch kind {
        case "global_norm": return .globalNorm(try positive("threshold"))
        case "per_tensor_norm": return .perTensorNorm(try positive("threshold"))
        case "value": return .value(try positive("limit"))
        default: return .none
        }
    }

    func readTruncation(_ node: ConfigNode) throws -> TruncationStyle {
        let (kind, f) = try reader.kinded(node, "training.truncation", kinds: ["full": [], "fixed": ["length"], "randomized": ["mean", "unbiased"]])
        switch kind {
        case "fixed":
            guard let length = f["length"] else { throw ExperimentError(position: node.position, key: "training.truncation.length", message: "missing") }
            return .fixed(try reader.int(length, "training.truncation.length", in: 1...1_000_000))
        case "randomized":
            guard let mean = f["mean"] else { throw ExperimentError(position: node.position, key: "training.truncation.mean", message: "missing") }
            return .randomized(mean: try reader.int(mean, "training.truncation.mean", in: 1...1_000_000),
                               unbiased: try f["unbiased"].map { try reader.bool($0, "training.truncation.unbiased") } ?? false)
        default: return .full
        }
    }

    func readInitialization(_ node: ConfigNode) throws -> InitializationScheme {
        let f = try reader.mapping(node, "training.init", known: ["embedding", "input", "recurrent", "output", "bias", "forget_gate_bias"])
        func initializer(_ key: String) throws -> Initializer {
            guard let node = f[key] else { return .pytorchDefault }
            let path = "training.init.\(key)"
            let (kind, g) = try reader.kinded(node, path, kinds: [
                "pytorch_default": [], "uniform": ["a"], "normal": ["std"], "xavier_uniform": ["gain"], "xavier_normal": ["gain"],
                "he_uniform": [], "he_normal": [], "orthogonal": ["gain"], "identity": ["scale"], "constant": ["value"],
            ])
            func number(_ name: String, _ fallback: Double) throws -> Double {
                try g[name].map { try reader.double($0, "\(path).\(name)", in: -1e6...1e6) } ?? fallback
            }
            let defaults = Initializer.Defaults.self
            switch kind {
            case "uniform": return .uniform(try number("a", defaults.bound))
            case "normal": return .normal(try number("std", defaults.standardDeviation))
            case "xavier_uniform": return .xavierUniform(gain: try number("gain", defaults.gain))
            case "xavier_normal": return .xavierNormal(gain: try number("gain", defaults.gain))
            case "he_uniform": return .heUniform
            case "he_normal": return .heNormal
            case "orthogonal": return .orthogonal(gain: try number("gain", defaults.gain))
            case "identity": return .identity(scale: try number("scale", defaults.gain))
            case "constant": return .constant(try number("value", defaults.constant))
            default: return .pytorchDefault
            }
        }
        return InitializationScheme(embedding: try initializer("embedding"), input: try initializer("input"),
                                    recurrent: try initializer("recurrent"), output: try initializer("output"),
                                    bias: try initializer("bias"),
                                    forgetGateBias: try f["forget_gate_bias"].map { try reader.double($0, "training.init.forget_gate_bias", in: -100...100) })
    }
}
