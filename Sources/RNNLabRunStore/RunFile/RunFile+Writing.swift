import Foundation
import RNNLabHDF5
import RNNLabLayers
import RNNLabTraining

extension RunFile {
    /// Writes the file atomically to `path`, creating its directory.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        // Built in memory, then written by us: a full disk is a clear error, and the old file stays.
        let file = try HDF5File.createInMemory(name: temporary)
        let bytes: [UInt8]
        do {
            var writer = RunFileWriter(file: file)
            try fill(&writer)
            try writer.set(RunFileLayout.checksum, text: writer.checksum.value)
            bytes = try file.image()
        } catch {
            file.close()
            throw error
        }
        file.close()
        try DurableWrite.write(bytes, to: path, through: temporary)
    }

    /// Writes every object, in the order that fixes the file's bytes.
    private func fill(_ writer: inout RunFileWriter) throws {
        typealias Layout = RunFileLayout
        try writer.set(Layout.format, text: RunFile.format)
        try writer.set(Layout.formatVersion, integer: RunFile.formatVersion)
        for (attribute, value) in [(Layout.runID, runID), (Layout.experiment, experiment), (Layout.status, status.rawValue),
                                   (Layout.statusDetail, statusDetail), (Layout.created, created), (Layout.updated, updated)] {
            try writer.set(attribute, text: value)
        }
        try writer.write(text: try configuration.canonicalJSON(), at: Layout.configuration)
        try writer.set(Layout.configurationSeed, integer: Int64(configuration.training.seed))
        try writer.set(Layout.configurationCell, text: configuration.model.cell.rawValue)
        if let tokenizer {
            try writer.write(text: String(decoding: try JSONEncoder().encode(tokenizer), as: UTF8.self), at: Layout.tokenizer)
        }
        if let p = provenance {
            try writer.createGroup(Layout.provenance)
            for (attribute, value) in [(Layout.gitCommit, p.gitCommit), (Layout.rnnlabVersion, p.rnnlabVersion),
                                       (Layout.swiftVersion, p.swiftVersion), (Layout.blas, p.blas), (Layout.hdf5, p.hdf5),
                                       (Layout.cpu, p.cpu), (Layout.commandLine, p.commandLine)] {
                try writer.set(attribute, text: value)
            }
            try writer.set(Layout.gitDirty, integer: Int64(p.gitDirty ? 1 : 0))
            try writer.set(Layout.blasThreads, integer: Int64(p.blasThreads))
        }
        // Per-step metrics.
        for column in Layout.StepColumn.allCases {
            try writer.write(column: steps.map { $0.value(of: column) }, at: column.path, chunk: Layout.stepChunk)
        }
        // Per-epoch metrics: fixed columns, then every task metric per split.
        var epochColumns: [(String, [Double])] = Layout.EpochColumn.allCases.map { column in
            (column.rawValue, epochs.map { $0.value(of: column) })
        }
        let metricNames = Set(epochs.flatMap { Array($0.validationMetrics.keys) + Array($0.testMetrics.keys) }).sorted()
        for name in metricNames {
            epochColumns.append((Layout.validationPrefix + name, epochs.map { $0.validationMetrics[name] ?? .nan }))
            epochColumns.append((Layout.testPrefix + name, epochs.map { $0.testMetrics[name] ?? .nan }))
        }
        for (name, values) in epochColumns {
            try writer.write(column: values, at: Layout.epochColumn(name), chunk: Layout.epochChunk)
        }
        // Final metrics: the test metrics at the best validation epoch.
        try writer.createGroup(Layout.final)
        if let outcome {
            try writer.set(Layout.epochsCompleted, integer: Int64(outcome.epochsCompleted))
            try writer.set(Layout.steps, integer: Int64(outcome.steps))
            if let best = outcome.bestEpoch {
                try writer.set(Layout.bestEpoch, integer: Int64(best))
            }
            for (name, value) in outcome.testMetricsAtBestEpoch {
                try writer.write(scalar: value, at: Layout.finalMetric(name))
            }
        }
        for (group, weights) in [(Layout.WeightGroup.initial, initialWeights), (.final, finalWeights)] {
            for w in weights {
                try writer.write(w.values, shape: w.shape, at: group.path(w.name))
            }
        }
        if let checkpoint {
            // Its metrics (the test metrics at the best epoch) may be infinite: JSONCoding keeps them.
            try writer.write(text: try JSONCoding.text(of: checkpoint), at: Layout.checkpointTrainer)
            for w in optimizerState {
                try writer.write(w.values, shape: w.shape, at: Layout.optimizerState(w.name))
            }
        }
    }
}

extension StepRecord {
    /// The value of one step column.
    func value(of column: RunFileLayout.StepColumn) -> Double {
        switch column {
        case .step: Double(step)
        case .epoch: Double(epoch)
        case .loss: loss
        case .gradientNormBefore: gradientNormBefore
        case .gradientNormAfter: gradientNormAfter
        case .learningRate: learningRate
        case .wallSeconds: wallSeconds
        case .tokens: tokens.map(Double.init) ?? .nan
        }
    }
}

extension EpochRecord {
    /// The value of one fixed epoch column.
    func value(of column: RunFileLayout.EpochColumn) -> Double {
        switch column {
        case .epoch: Double(epoch)
        case .trainingLoss: trainingLoss
        case .learningRate: learningRate
        case .wallSeconds: wallSeconds
        }
    }
}
