import Foundation

/// One run stored as one HDF5 file (layout in `docs/hdf5-layout.md`).
///
/// The file is always written whole to a temporary file beside its final
/// path, synced, and renamed into place, so a reader never sees a partial
/// file.
public struct RunFile {
    public static let format = "rnnlab-run"
    public static let formatVersion: Int64 = 2

    public var runID: String
    /// The experiment the run belongs to ("adhoc" for `rnnlab train`).
    public var experiment: String = "adhoc"
    public var configuration: RunConfiguration
    /// "complete", "diverged" or "failed".
    public var status: String
    public var statusDetail: String
    public var tokenizer: StoredTokenizer?
    public var provenance: Provenance?
    public var steps: [StepRecord]
    public var epochs: [EpochRecord]
    public var outcome: RunOutcome?
    /// `state_dict` name → (shape, values), at initialisation and at the end.
    public var initialWeights: [(name: String, shape: [Int], values: [Float])]
    /// The weights at the end (or, while running, at the last checkpoint).
    public var finalWeights: [(name: String, shape: [Int], values: [Float])]
    /// What resuming needs, while the run is not finished: the trainer's state
    /// and the optimizer's state tensors (by `NAME.STATE`).
    public var checkpoint: Trainer<Float>.Checkpoint?
    public var optimizerState: [(name: String, shape: [Int], values: [Float])] = []
    /// ISO 8601 times of the first write and of this write.
    public var created: String = ""
    public var updated: String = ""
    /// The test metrics at the best epoch, as stored under `/final` (read back by `read(from:)`).
    public var finalMetrics: [String: Double] = [:]
    /// Seconds of training over the recorded epochs. Each epoch's `wallSeconds` counts from the run's start, but
    /// in files written before checkpoints kept the time it restarted at 0 on resume; a drop marks a resume, and
    /// the seconds before it are added.
    public var trainingSeconds: Double {
        var total = 0.0, previous = 0.0
        for epoch in epochs where epoch.wallSeconds.isFinite {
            if epoch.wallSeconds < previous { total += previous }
            previous = epoch.wallSeconds
        }
        return total + previous
    }
    /// The epoch (from 1) of the lowest validation loss, the one `finalMetrics` were measured at (`/final@best_epoch`).
    public var bestEpoch: Int?

    /// The parameters of a model as `state_dict` entries.
    public static func weights(of parameters: [Parameter<Float>]) -> [(name: String, shape: [Int], values: [Float])] {
        parameters.map { ($0.name, $0.shape, $0.value.array) }
    }

    // MARK: Writing

    /// Writes the file atomically to `path`, creating its directory.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        // Built in memory, then written by us: a full disk is a clear error, and the old file stays.
        let file = try HDF5File.createInMemory(name: temporary)
        let bytes: [UInt8]
        do {
            var checksum = RunChecksum()
            try fill(file, checksum: &checksum)
            try file.setAttribute("checksum", checksum.value, on: "/")
            bytes = try file.image()
        } catch {
            file.close()
            throw error
        }
        file.close()
        try DurableWrite.write(bytes, to: path, through: temporary)
    }

    private func fill(_ file: HDF5File, checksum: inout RunChecksum) throws {
        try file.setAttribute("format", RunFile.format, on: "/")
        try file.setAttribute("format_version", RunFile.formatVersion, on: "/")
        checksum.add("/@format_version", integer: RunFile.formatVersion)
        for (key, value) in [("run_id", runID), ("experiment", experiment), ("status", status), ("status_detail", statusDetail),
                             ("created", created), ("updated", updated)] {
            try file.setAttribute(key, value, on: "/")
            checksum.add("/@\(key)", text: value)
        }
        let json = try configuration.canonicalJSON()
        try file.writeString(json, at: "/config")
        checksum.add("/config", text: json)
        try file.setAttribute("seed", Int64(configuration.training.seed), on: "/config")
        try file.setAttribute("cell", configuration.model.cell.rawValue, on: "/config")
        if let tokenizer {
            let text = String(decoding: try JSONEncoder().encode(tokenizer), as: UTF8.self)
            try file.writeString(text, at: "/tokenizer")
            checksum.add("/tokenizer", text: text)
        }
        if let p = provenance {
            try file.createGroup("/provenance")
            for (key, value) in [("git_commit", p.gitCommit), ("rnnlab_version", p.rnnlabVersion), ("swift_version", p.swiftVersion),
                                 ("blas", p.blas), ("hdf5", p.hdf5), ("cpu", p.cpu), ("command_line", p.commandLine)] {
                try file.setAttribute(key, value, on: "/provenance")
                checksum.add("/provenance@\(key)", text: value)
            }
            try file.setAttribute("git_dirty", Int64(p.gitDirty ? 1 : 0), on: "/provenance")
            try file.setAttribute("blas_threads", Int64(p.blasThreads), on: "/provenance")
            checksum.add("/provenance@git_dirty", integer: Int64(p.gitDirty ? 1 : 0))
            checksum.add("/provenance@blas_threads", integer: Int64(p.blasThreads))
        }
        // Per-step metrics.
        let stepColumns: [(String, (StepRecord) -> Double)] = [
            ("step", { Double($0.step) }), ("epoch", { Double($0.epoch) }), ("loss", \.loss),
            ("grad_norm_before", \.gradientNormBefore), ("grad_norm_after", \.gradientNormAfter),
            ("learning_rate", \.learningRate), ("wall_seconds", \.wallSeconds),
        ]
        for (name, value) in stepColumns {
            try file.createExtendable("/metrics/step/\(name)", of: Double.self, chunk: 4096)
            try file.append(steps.map(value), to: "/metrics/step/\(name)")
            checksum.add("/metrics/step/\(name)", steps.map(value))
        }
        // Per-epoch metrics: fixed columns, then every task metric per split.
        var epochColumns: [(String, [Double])] = [
            ("epoch", epochs.map { Double($0.epoch) }), ("train_loss", epochs.map(\.trainingLoss)),
            ("learning_rate", epochs.map(\.learningRate)), ("wall_seconds", epochs.map(\.wallSeconds)),
        ]
        let metricNames = Set(epochs.flatMap { Array($0.validationMetrics.keys) + Array($0.testMetrics.keys) }).sorted()
        for name in metricNames {
            epochColumns.append(("valid_\(name)", epochs.map { $0.validationMetrics[name] ?? .nan }))
            epochColumns.append(("test_\(name)", epochs.map { $0.testMetrics[name] ?? .nan }))
        }
        for (name, values) in epochColumns {
            try file.createExtendable("/metrics/epoch/\(name)", of: Double.self, chunk: 256)
            try file.append(values, to: "/metrics/epoch/\(name)")
            checksum.add("/metrics/epoch/\(name)", values)
        }
        // Final metrics: the test metrics at the best validation epoch.
        try file.createGroup("/final")
        if let outcome {
            try file.setAttribute("epochs_completed", Int64(outcome.epochsCompleted), on: "/final")
            try file.setAttribute("steps", Int64(outcome.steps), on: "/final")
            checksum.add("/final@epochs_completed", integer: Int64(outcome.epochsCompleted))
            checksum.add("/final@steps", integer: Int64(outcome.steps))
            if let best = outcome.bestEpoch {
                try file.setAttribute("best_epoch", Int64(best), on: "/final")
                checksum.add("/final@best_epoch", integer: Int64(best))
            }
            for (name, value) in outcome.testMetricsAtBestEpoch {
                try file.write([value], shape: [], at: "/final/test_\(name)")
                checksum.add("/final/test_\(name)", [value], shape: [])
            }
        }
        for (group, weights) in [("initial", initialWeights), ("final", finalWeights)] {
            for w in weights {
                try file.write(w.values, shape: w.shape, at: "/weights/\(group)/\(w.name)")
                checksum.add("/weights/\(group)/\(w.name)", w.values, shape: w.shape)
            }
        }
        if let checkpoint {
            let text = String(decoding: try JSONEncoder().encode(checkpoint), as: UTF8.self)
            try file.writeString(text, at: "/checkpoint/trainer")
            checksum.add("/checkpoint/trainer", text: text)
            for w in optimizerState {
                try file.write(w.values, shape: w.shape, at: "/checkpoint/optimizer/\(w.name)")
                checksum.add("/checkpoint/optimizer/\(w.name)", w.values, shape: w.shape)
            }
        }
    }

    // MARK: Reading

    /// Reads a run file; a file that is not a complete RNNLab run file is an error,
    /// and so is one whose content does not match its stored checksum
    /// (`RunFileChecksumMismatch`; files of format version 1 have none).
    public static func read(from path: String) throws -> RunFile {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        guard (try? file.stringAttribute("format", on: "/")) == format else {
            throw HDF5Error.mismatch(file: path, object: "/", reason: "not an RNNLab run file (no format attribute '\(format)')")
        }
        let version = try file.intAttribute("format_version", on: "/")
        guard version >= 1, version <= formatVersion else {
            throw HDF5Error.mismatch(file: path, object: "/", reason: "format version \(version) is not one this rnnlab reads (1…\(formatVersion))")
        }
        var checksum = RunChecksum()
        checksum.add("/@format_version", integer: version)
        let rootText = { (key: String) throws -> String in
            let value = try file.stringAttribute(key, on: "/")
            checksum.add("/@\(key)", text: value)
            return value
        }
        let configJSON = try file.readString("/config")
        checksum.add("/config", text: configJSON)
        let configuration = try JSONDecoder().decode(RunConfiguration.self, from: Data(configJSON.utf8))
        var run = RunFile(runID: try rootText("run_id"), configuration: configuration,
                          status: try rootText("status"),
                          statusDetail: (try? rootText("status_detail")) ?? "",
                          tokenizer: nil, provenance: nil, steps: [], epochs: [], outcome: nil,
                          initialWeights: [], finalWeights: [])
        if file.exists("/provenance") {
            let text = { (key: String) -> String in
                let value = (try? file.stringAttribute(key, on: "/provenance")) ?? ""
                checksum.add("/provenance@\(key)", text: value)
                return value
            }
            let number = { (key: String) -> Int64 in
                let value = (try? file.intAttribute(key, on: "/provenance")) ?? 0
                checksum.add("/provenance@\(key)", integer: value)
                return value
            }
            run.provenance = Provenance(gitCommit: text("git_commit"), gitDirty: number("git_dirty") == 1,
                                        rnnlabVersion: text("rnnlab_version"), swiftVersion: text("swift_version"), blas: text("blas"),
                                        blasThreads: Int(number("blas_threads")),
                                        hdf5: text("hdf5"), cpu: text("cpu"), commandLine: text("command_line"))
        }
        run.experiment = (try? rootText("experiment")) ?? "adhoc"
        run.finalMetrics = try finalMetrics(in: file, checksum: &checksum)
        run.bestEpoch = file.exists("/final") ? (try? file.intAttribute("best_epoch", on: "/final")).map(Int.init) : nil
        run.created = (try? rootText("created")) ?? ""
        run.updated = (try? rootText("updated")) ?? ""
        if file.exists("/checkpoint/trainer") {
            let text = try file.readString("/checkpoint/trainer")
            checksum.add("/checkpoint/trainer", text: text)
            run.checkpoint = try JSONDecoder().decode(Trainer<Float>.Checkpoint.self, from: Data(text.utf8))
            if file.exists("/checkpoint/optimizer") {
                run.optimizerState = try file.children(of: "/checkpoint/optimizer").map { name in
                    let (values, shape) = try file.read("/checkpoint/optimizer/\(name)", as: Float.self)
                    checksum.add("/checkpoint/optimizer/\(name)", values, shape: shape)
                    return (name, shape, values)
                }
            }
        }
        if let names = try? file.children(of: "/metrics/step"), names.contains("step") {
            let column = { (name: String) -> [Double] in
                let values = (try? file.read("/metrics/step/\(name)", as: Double.self).values) ?? []
                checksum.add("/metrics/step/\(name)", values)
                return values
            }
            let (step, epoch, loss) = (column("step"), column("epoch"), column("loss"))
            let (before, after, rate, wall) = (column("grad_norm_before"), column("grad_norm_after"), column("learning_rate"), column("wall_seconds"))
            let count = [epoch, loss, before, after, rate, wall].map(\.count).min() ?? 0
            run.steps = step.indices.prefix(count).map {
                StepRecord(step: Int(step[$0]), epoch: Int(epoch[$0]), loss: loss[$0], gradientNormBefore: before[$0],
                           gradientNormAfter: after[$0], learningRate: rate[$0], wallSeconds: wall[$0])
            }
        }
        if file.exists("/tokenizer") {
            let text = try file.readString("/tokenizer")
            checksum.add("/tokenizer", text: text)
            run.tokenizer = try JSONDecoder().decode(StoredTokenizer.self, from: Data(text.utf8))
        }
        for group in ["initial", "final"] where file.exists("/weights/\(group)") {
            let weights = try file.children(of: "/weights/\(group)").map { name -> (String, [Int], [Float]) in
                let (values, shape) = try file.read("/weights/\(group)/\(name)", as: Float.self)
                checksum.add("/weights/\(group)/\(name)", values, shape: shape)
                return (name, shape, values)
            }
            if group == "initial" { run.initialWeights = weights } else { run.finalWeights = weights }
        }
        let epochNames = (try? file.children(of: "/metrics/epoch")) ?? []
        let columns = try Dictionary(uniqueKeysWithValues: epochNames.map { ($0, try file.read("/metrics/epoch/\($0)", as: Double.self).values) })
        for (name, values) in columns { checksum.add("/metrics/epoch/\(name)", values) }
        let count = columns.values.map(\.count).min() ?? 0
        run.epochs = (0..<count).map { i in
            var validation: [String: Double] = [:], test: [String: Double] = [:]
            for (name, values) in columns {
                if name.hasPrefix("valid_") { validation[String(name.dropFirst(6))] = values[i] }
                if name.hasPrefix("test_") { test[String(name.dropFirst(5))] = values[i] }
            }
            return EpochRecord(epoch: Int(columns["epoch"]?[i] ?? 0), trainingLoss: columns["train_loss"]?[i] ?? .nan,
                               validationLoss: validation["loss"], testLoss: test["loss"],
                               validationMetrics: validation, testMetrics: test,
                               learningRate: columns["learning_rate"]?[i] ?? .nan, wallSeconds: columns["wall_seconds"]?[i] ?? .nan,
                               isBest: false)
        }
        let stored = (try? file.stringAttribute("checksum", on: "/")) ?? ""
        if version >= 2 || !stored.isEmpty, stored != checksum.value {
            throw RunFileChecksumMismatch(path: path, stored: stored, computed: checksum.value)
        }
        return run
    }

    /// The test metrics at the best epoch, from `/final`.
    public static func finalMetrics(from path: String) throws -> [String: Double] {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        var checksum = RunChecksum()
        return try finalMetrics(in: file, checksum: &checksum)
    }

    private static func finalMetrics(in file: HDF5File, checksum: inout RunChecksum) throws -> [String: Double] {
        guard file.exists("/final") else { return [:] }
        for key in ["epochs_completed", "steps", "best_epoch"] {
            if let value = try? file.intAttribute(key, on: "/final") { checksum.add("/final@\(key)", integer: value) }
        }
        var result: [String: Double] = [:]
        for name in try file.children(of: "/final") where name.hasPrefix("test_") {
            let (values, shape) = try file.read("/final/\(name)", as: Double.self)
            checksum.add("/final/\(name)", values, shape: shape)
            result[String(name.dropFirst(5))] = values.first
        }
        return result
    }

    /// Copies the stored final weights into `parameters`, matched by name and shape.
    func loadFinalWeights(into parameters: [Parameter<Float>]) throws {
        let stored = Dictionary(uniqueKeysWithValues: finalWeights.map { ($0.name, $0) })
        for parameter in parameters {
            guard let w = stored[parameter.name], w.shape == parameter.shape else {
                throw HDF5Error.mismatch(file: runID, object: "/weights/final/\(parameter.name)",
                                         reason: "missing or of the wrong shape for \(parameter.shape)")
            }
            parameter.value.copy(from: Tensor(shape: w.shape, values: w.values))
        }
    }
}
