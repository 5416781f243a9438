import Foundation
import RNNLabRunStore
import RNNLabTraining

/// What a comparison holds equal across its arms (`budget.equalize`).
public enum BudgetEqualization: String, CaseIterable, Sendable {
    /// The same number of parameter updates: every arm has the same `max_steps`, which ends its runs.
    case steps
    /// The same number of training input tokens: every arm has the same `max_tokens`.
    case tokens
    /// The same number of epochs (passes over the training data): the default.
    case epochs
    /// The same wall-clock budget: every arm has the same `wall_clock_minutes` (machine-dependent).
    case wall

    /// How a report states it.
    public var statement: String {
        switch self {
        case .steps: return "the number of parameter updates (`max_steps`)"
        case .tokens: return "the number of training input tokens (`max_tokens`)"
        case .epochs: return "the number of epochs"
        case .wall: return "the wall-clock budget (`wall_clock_minutes`)"
        }
    }
}

/// The budget part of an experiment that is not a training setting: what its arms hold equal, and the declared
/// reason where their numbers of updates differ on purpose.
public struct ComparisonBudget: Equatable, Sendable {
    /// What the arms hold equal: the declared `equalize`; undeclared, `.epochs` where every arm has the same epochs,
    /// and nil where the arms differ in every budget (the budget is then part of what they compare).
    public var equalize: BudgetEqualization? = .epochs
    /// Whether the file declares `equalize` (otherwise it is the default, and the report says so).
    public var isDeclared = false
    /// `budget.unequal_updates`: why the arms' numbers of updates differ (a sentence the report prints); without
    /// it, arms whose planned updates differ by more than `UpdatePlan.tolerance` are an error.
    public var unequalUpdates: String?

    public init(equalize: BudgetEqualization? = .epochs, isDeclared: Bool = false, unequalUpdates: String? = nil) {
        self.equalize = equalize
        self.isDeclared = isDeclared
        self.unequalUpdates = unequalUpdates
    }

    /// The training keys `budget` may set (applied to every arm before the profile and the arms' own values).
    static let trainingKeys = ["epochs", "max_steps", "max_tokens", "wall_clock_minutes"]
    /// Every key of `budget`.
    static let keys = trainingKeys + ["equalize", "unequal_updates"]
}

/// The parameter updates a run's configuration plans, as far as it can be told without reading data: generated
/// tasks have exact counts, tasks on a data set count in units of the data's size, which arms reading the same
/// data (and tokenisation) share, so that their ratio is exact.
struct UpdatePlan: Equatable {
    /// Arms differing in planned updates by more than this fraction (of the smaller) must say so.
    static let tolerance = 0.10

    /// What the updates count in: "" for generated tasks (exact), else the data set and its tokenisation.
    var unit: String
    /// Updates per epoch, in `unit`s (batches per epoch × updates per batch).
    var perEpoch: Double
    var epochs: Int
    var maxSteps: Int?

    /// The plan of a configuration; nil where its updates per epoch are unknown before reading the data
    /// (truncated music, whose sequence lengths vary) or a wall-clock or token budget decides them.
    init?(_ configuration: RunConfiguration) {
        let training = configuration.training, batch = Double(configuration.batchSize)
        guard training.wallClockSeconds == nil, training.maxTokens == nil else { return nil }
        epochs = training.epochs
        maxSteps = training.maxSteps
        /// Updates per batch of `length` steps: per-step heads update after each truncation segment, per-sequence
        /// heads once per batch (after the last segment).
        func segments(_ length: Int, perStep: Bool) -> Double {
            guard perStep else { return 1 }
            switch training.truncation {
            case .full: return 1
            case .fixed(let k): return (Double(length) / Double(max(k, 1))).rounded(.up)
            case .randomized(let mean, _): return 1 + Double(length - 1) / Double(max(mean, 1))
            }
        }
        func batches(_ examples: Int) -> Double { (Double(examples) / batch).rounded(.up) }
        switch configuration.task {
        case .adding(_, let examples, _):
            (unit, perEpoch) = ("", batches(examples))
        case .copyMemory(let delay, let examples, _):
            (unit, perEpoch) = ("", batches(examples) * segments(delay + 20, perStep: true))
        case .embeddedReber:
            // Strings of varying length: exact only without truncation.
            guard training.truncation == .full, case .embeddedReber(let examples, _) = configuration.task else { return nil }
            (unit, perEpoch) = ("", batches(examples))
        case .sequentialImage(let data, _, let training, let validation, _):
            // Exact with `training_examples` (full batches only); otherwise in units of the data set's size.
            if let training {
                (unit, perEpoch) = ("", (Double(training) / batch).rounded(.down))
            } else {
                (unit, perEpoch) = ("images \(data) \(validation)", 1 / batch)
            }
        case .seq2seq(let specification):
            (unit, perEpoch) = ("", batches(specification.trainingExamples))
        case .languageModel(let name, let tokenization, let steps, _, _, let file):
            let data = file?.sha256 ?? name
            // One stream of N tokens in `batch` rows, cut into batches of `steps`: N / (batch × steps) batches.
            (unit, perEpoch) = ("\(data) \(tokenization)", segments(steps, perStep: true) / (batch * Double(steps)))
        case .music(let name, let file):
            let data = file?.sha256 ?? name
            guard training.truncation == .full else { return nil }
            (unit, perEpoch) = ("music \(data)", 1 / batch)
        case .sentiment(let name, _, let vocabulary, let file):
            let data = file?.sha256 ?? name
            (unit, perEpoch) = ("sentiment \(data) \(vocabulary.map(String.init) ?? "")", 1 / batch)
        case .forecasting(let name, let window, let file):
            let series = file?.sha256 ?? name
            (unit, perEpoch) = ("series \(series) \(window)", 1 / batch)
        }
    }

    /// The planned updates in `unit`s: `max_steps` where set (it binds for data sets, whose size is unknown
    /// here; for generated tasks the smaller of it and the epochs' updates), else epochs × updates per epoch.
    var updates: Double {
        let byEpochs = Double(epochs) * perEpoch
        guard let maxSteps else { return byEpochs }
        return unit.isEmpty ? min(Double(maxSteps), byEpochs) : Double(maxSteps)
    }

    /// Whether `updates` is a count (generated task, or bounded by `max_steps`) rather than a multiple of a data size.
    var isCount: Bool { unit.isEmpty || maxSteps != nil }
}

extension Experiment {
    /// Checks `budget.equalize` against the planned runs (what it holds equal is equal in every arm), then that
    /// arms reading the same data plan the same number of updates within `UpdatePlan.tolerance`, unless
    /// `budget.unequal_updates` says why they do not. Returns what the arms hold equal: the declared value, or
    /// undeclared `.epochs` where every arm has the same epochs, else nil.
    static func checkBudget(_ budget: ComparisonBudget, runs: [PlannedRun], at position: SourcePosition) throws -> BudgetEqualization? {
        func distinct(_ value: (TrainingConfiguration) -> String) -> Set<String> { Set(runs.map { value($0.configuration.training) }) }
        func values(_ equalize: BudgetEqualization) -> (values: Set<String>, key: String) {
            switch equalize {
            case .steps: return (distinct { $0.maxSteps.map(String.init) ?? "none" }, "max_steps")
            case .tokens: return (distinct { $0.maxTokens.map(String.init) ?? "none" }, "max_tokens")
            case .wall: return (distinct { $0.wallClockSeconds.map { String($0 / 60) } ?? "none" }, "wall_clock_minutes")
            case .epochs: return (distinct { String($0.epochs) }, "epochs")
            }
        }
        var held: BudgetEqualization?
        if budget.isDeclared, let declared = budget.equalize {
            let equalized = values(declared)
            if equalized.values.contains("none") || equalized.values.count > 1 {
                throw ExperimentError(position: position, key: "budget.equalize",
                                      message: "'\(declared.rawValue)' needs the same training.\(equalized.key) in every arm; the arms have "
                                        + equalized.values.sorted().joined(separator: ", "))
            }
            held = declared
        } else {
            held = values(.epochs).values.count <= 1 ? .epochs : nil
        }
        guard budget.unequalUpdates == nil else { return held }
        // Arms (one run each: seeds do not change plans) grouped by what their updates count in.
        var byUnit: [String: [(arm: String, plan: UpdatePlan)]] = [:]
        var seen = Set<String>()
        for run in runs where seen.insert(run.arm).inserted {
            guard let plan = UpdatePlan(run.configuration) else { continue }
            byUnit[plan.unit, default: []].append((run.arm, plan))
        }
        for unit in byUnit.keys.sorted() {
            guard let arms = byUnit[unit], arms.count > 1 else { continue }
            // Counts compare only with counts, multiples of the data size only with multiples.
            for kind in [true, false] {
                let comparable = arms.filter { $0.plan.isCount == kind }
                guard let low = comparable.min(by: { $0.plan.updates < $1.plan.updates }),
                      let high = comparable.max(by: { $0.plan.updates < $1.plan.updates }), low.plan.updates > 0,
                      high.plan.updates > low.plan.updates * (1 + UpdatePlan.tolerance) else { continue }
                let ratio = String(format: "%.3g", high.plan.updates / low.plan.updates)
                let counts = kind
                    ? "'\(high.arm)' plans \(String(format: "%.0f", high.plan.updates)) updates, '\(low.arm)' \(String(format: "%.0f", low.plan.updates)) (\(ratio)×)"
                    : "'\(high.arm)' plans \(ratio)× as many updates as '\(low.arm)' on the same data (\(high.plan.epochs) and \(low.plan.epochs) epochs)"
                throw ExperimentError(
                    position: position, key: budget.isDeclared ? "budget.equalize" : "budget",
                    message: "\(counts), more than \(Int(UpdatePlan.tolerance * 100))% apart: hold the updates equal (budget.equalize: steps "
                        + "with max_steps) or say why they differ (budget.unequal_updates: \"...\")")
            }
        }
        return held
    }
}
