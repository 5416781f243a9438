import Foundation
import RNNLabData
import RNNLabHDF5
import RNNLabTraining

extension RunFile {
    /// Reads a run file; a file that is not a complete RNNLab run file is an error,
    /// and so is one whose content does not match its stored checksum
    /// (`RunFileChecksumMismatch`; files of format version 1 have none).
    public static func read(from path: String) throws -> RunFile {
        typealias Layout = RunFileLayout
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        guard (try? file.stringAttribute(Layout.format.name, on: Layout.format.object)) == format else {
            throw HDF5Error.mismatch(file: path, object: Layout.root, reason: "not an RNNLab run file (no format attribute '\(format)')")
        }
        let version = try file.intAttribute(Layout.formatVersion.name, on: Layout.formatVersion.object)
        guard version >= 1, version <= formatVersion else {
            throw HDF5Error.mismatch(file: path, object: Layout.root, reason: "format version \(version) is not one this rnnlab reads (1…\(formatVersion))")
        }
        var reader = RunFileReader(file: file)
        reader.add(Layout.formatVersion, integer: version)
        let configJSON = try reader.string(at: Layout.configuration)
        let configuration = try JSONDecoder().decode(RunConfiguration.self, from: Data(configJSON.utf8))
        let runID = try reader.text(Layout.runID)
        let statusText = try reader.text(Layout.status)
        guard let status = Status(rawValue: statusText) else { throw RunFileUnknownStatus(path: path, status: statusText) }
        var run = RunFile(runID: runID, configuration: configuration, status: status,
                          statusDetail: reader.optionalText(Layout.statusDetail) ?? "",
                          tokenizer: nil, provenance: nil, steps: [], epochs: [], outcome: nil,
                          initialWeights: [], finalWeights: [])
        if file.exists(Layout.provenance) {
            let text = { (attribute: Layout.Attribute) -> String in reader.text(attribute, fallback: "") }
            let number = { (attribute: Layout.Attribute) -> Int64 in reader.integer(attribute, fallback: 0) }
            run.provenance = Provenance(gitCommit: text(Layout.gitCommit), gitDirty: number(Layout.gitDirty) == 1,
                                        rnnlabVersion: text(Layout.rnnlabVersion), swiftVersion: text(Layout.swiftVersion),
                                        blas: text(Layout.blas), blasThreads: Int(number(Layout.blasThreads)),
                                        hdf5: text(Layout.hdf5), cpu: text(Layout.cpu), commandLine: text(Layout.commandLine))
        }
        run.experiment = reader.optionalText(Layout.experiment) ?? "adhoc"
        run.finalMetrics = try finalMetrics(&reader)
        run.bestEpoch = file.exists(Layout.final)
            ? (try? file.intAttribute(Layout.bestEpoch.name, on: Layout.bestEpoch.object)).map(Int.init) : nil
        run.created = reader.optionalText(Layout.created) ?? ""
        run.updated = reader.optionalText(Layout.updated) ?? ""
        if file.exists(Layout.checkpointTrainer) {
            let text = try reader.string(at: Layout.checkpointTrainer)
            run.checkpoint = try JSONCoding.value(Trainer<Float>.Checkpoint.self, from: text)
            if file.exists(Layout.checkpointOptimizer) {
                run.optimizerState = try file.children(of: Layout.checkpointOptimizer).map { name in
                    let (values, shape) = try reader.floats(at: Layout.optimizerState(name))
                    return (name, shape, values)
                }
            }
        }
        if let names = try? file.children(of: Layout.stepMetrics), names.contains(Layout.StepColumn.step.rawValue) {
            var columns: [Layout.StepColumn: [Double]] = [:]
            for column in Layout.StepColumn.allCases { columns[column] = reader.columnOrEmpty(at: column.path) }
            let column = { (name: Layout.StepColumn) -> [Double] in columns[name] ?? [] }
            let (step, epoch, loss) = (column(.step), column(.epoch), column(.loss))
            let (before, after, rate, wall) = (column(.gradientNormBefore), column(.gradientNormAfter), column(.learningRate), column(.wallSeconds))
            let count = [epoch, loss, before, after, rate, wall].map(\.count).min() ?? 0
            // `tokens` is absent from older files: their steps have no token counts.
            let tokens = column(.tokens)
            run.steps = step.indices.prefix(count).map {
                StepRecord(step: Int(step[$0]), epoch: Int(epoch[$0]), loss: loss[$0], gradientNormBefore: before[$0],
                           gradientNormAfter: after[$0], learningRate: rate[$0], wallSeconds: wall[$0],
                           tokens: $0 < tokens.count && tokens[$0].isFinite ? Int(tokens[$0]) : nil)
            }
        }
        if file.exists(Layout.tokenizer) {
            let text = try reader.string(at: Layout.tokenizer)
            run.tokenizer = try JSONDecoder().decode(StoredTokenizer.self, from: Data(text.utf8))
        }
        for group in Layout.WeightGroup.allCases where file.exists(group.path) {
            let weights = try file.children(of: group.path).map { name -> (String, [Int], [Float]) in
                let (values, shape) = try reader.floats(at: group.path(name))
                return (name, shape, values)
            }
            switch group {
            case .initial: run.initialWeights = weights
            case .final: run.finalWeights = weights
            }
        }
        let epochNames = (try? file.children(of: Layout.epochMetrics)) ?? []
        let columns = try Dictionary(uniqueKeysWithValues: epochNames.map { ($0, try reader.column(at: Layout.epochColumn($0))) })
        let count = columns.values.map(\.count).min() ?? 0
        let fixed = { (column: Layout.EpochColumn, i: Int) -> Double? in columns[column.rawValue]?[i] }
        run.epochs = (0..<count).map { i in
            var validation: [String: Double] = [:], test: [String: Double] = [:]
            for (name, values) in columns {
                if name.hasPrefix(Layout.validationPrefix) { validation[String(name.dropFirst(Layout.validationPrefix.count))] = values[i] }
                if name.hasPrefix(Layout.testPrefix) { test[String(name.dropFirst(Layout.testPrefix.count))] = values[i] }
            }
            return EpochRecord(epoch: Int(fixed(.epoch, i) ?? 0), trainingLoss: fixed(.trainingLoss, i) ?? .nan,
                               validationLoss: validation["loss"], testLoss: test["loss"],
                               validationMetrics: validation, testMetrics: test,
                               learningRate: fixed(.learningRate, i) ?? .nan, wallSeconds: fixed(.wallSeconds, i) ?? .nan,
                               isBest: false)
        }
        let stored = (try? file.stringAttribute(Layout.checksum.name, on: Layout.checksum.object)) ?? ""
        let computed = reader.checksum.value
        if version >= 2 || !stored.isEmpty, stored != computed {
            throw RunFileChecksumMismatch(path: path, stored: stored, computed: computed)
        }
        return run
    }

    /// The test metrics at the best epoch, from `/final`.
    public static func finalMetrics(from path: String) throws -> [String: Double] {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        var reader = RunFileReader(file: file)
        return try finalMetrics(&reader)
    }

    private static func finalMetrics(_ reader: inout RunFileReader) throws -> [String: Double] {
        typealias Layout = RunFileLayout
        guard reader.file.exists(Layout.final) else { return [:] }
        for attribute in Layout.finalCounts { _ = try? reader.integer(attribute) }
        var result: [String: Double] = [:]
        for name in try reader.file.children(of: Layout.final) where name.hasPrefix(Layout.testPrefix) {
            let (values, _) = try reader.doubles(at: Layout.final + "/" + name)
            result[String(name.dropFirst(Layout.testPrefix.count))] = values.first
        }
        return result
    }
}

/// A run file whose root `status` is none of `RunFile.Status`.
public struct RunFileUnknownStatus: Error, CustomStringConvertible {
    public var path: String
    public var status: String
    /// As the store words it when it names the file corrupt.
    public var description: String { "unknown status '\(status)'" }
}
