import Foundation

/// The `sbatch` settings of `rnnlab slurm`.
public struct SlurmOptions: Sendable, Equatable {
    public var partition: String?
    /// Wall-clock limit per task: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM` or `D-HH:MM:SS`.
    public var time: String?
    public var cpusPerTask: Int
    /// At most this many array tasks at once (`--array=0-N%LIMIT`).
    public var arrayLimit: Int?
    /// More `#SBATCH` lines for both jobs, e.g. `--account=abc` or `--requeue`.
    public var extraArguments: [String]

    public init(partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1, arrayLimit: Int? = nil, extraArguments: [String] = []) {
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.arrayLimit = arrayLimit
        self.extraArguments = extraArguments
    }
}

/// A problem with the `rnnlab slurm` settings.
public struct SlurmSettingsError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Where the jobs run and what they call: absolute paths, so a job started by
/// Slurm on any node sees the same files.
public struct SlurmEnvironment: Sendable, Equatable {
    /// The `rnnlab` binary the tasks call.
    public var executable: String
    /// The job's working directory (`--chdir`): where `experiments/` is.
    public var workingDirectory: String
    public var experimentFile: String
    public var results: String
    public var dataDirectory: String
    /// `RNNLAB_DATA_MIRROR`, if set.
    public var dataMirror: String?
    /// `RNNLAB_HEARTBEAT_SECONDS` and `RNNLAB_STALE_AFTER_SECONDS`, if set.
    public var lockSettings: [String: String]

    public init(executable: String, workingDirectory: String, experimentFile: String, results: String,
                dataDirectory: String, dataMirror: String? = nil, lockSettings: [String: String] = [:]) {
        self.executable = executable
        self.workingDirectory = workingDirectory
        self.experimentFile = experimentFile
        self.results = results
        self.dataDirectory = dataDirectory
        self.dataMirror = dataMirror
        self.lockSettings = lockSettings
    }
}

/// The two batch scripts of one submission: a job array with one task per
/// remaining run, and a report job that runs after the array (`afterany`).
public struct SlurmBatch: Sendable, Equatable {
    public let experiment: String
    public let runIDs: [String]
    /// `RESULTS/NAME/slurm`.
    public let directory: String
    public let arrayScript: String
    public let reportScript: String

    public var arrayScriptPath: String { directory + "/array.sbatch" }
    public var reportScriptPath: String { directory + "/report.sbatch" }

    /// `sbatch` arguments of the array job.
    public var arraySubmission: [String] { ["--parsable", arrayScriptPath] }

    /// `sbatch` arguments of the report job, after array job `arrayJob`.
    public func reportSubmission(after arrayJob: String) -> [String] {
        ["--parsable", "--dependency=afterany:\(arrayJob)", reportScriptPath]
    }

    /// The shell commands that submit both jobs.
    public var submitCommands: String {
        "array=$(sbatch \(arraySubmission.map(shellQuoted).joined(separator: " ")))\n"
            + "sbatch \(reportSubmission(after: "$array").map { $0.contains("$array") ? "\"\($0)\"" : shellQuoted($0) }.joined(separator: " "))\n"
    }

    /// Builds the scripts for `runs` (in task order) of `experiment`.
    public init(experiment: String, runs: [PlannedRun], profile: String?, environment: SlurmEnvironment, options: SlurmOptions) throws {
        try SlurmBatch.validate(options, environment: environment)
        guard !runs.isEmpty else { throw SlurmSettingsError(description: "\(experiment): no runs to submit") }
        self.experiment = experiment
        runIDs = runs.map(\.runID)
        directory = environment.results + "/" + experiment + "/slurm"
        let header = SlurmBatch.header(options: options, environment: environment)
        let exports = SlurmBatch.exports(environment: environment, threads: options.cpusPerTask)
        let profileArgument = profile.map { " --profile \(shellQuoted($0))" } ?? ""
        let results = " --results \(shellQuoted(environment.results))"
        let common = results + " --data-dir \(shellQuoted(environment.dataDirectory))\(profileArgument)"
        let last = runs.count - 1
        var array = [
            "#!/bin/bash",
            "# rnnlab slurm: one array task per run of \(experiment) that is not complete (\(runs.count) runs).",
            "# Submitted again after failures or preemption, it is rewritten with only the runs still to do;",
            "# a task whose run is already complete does nothing, an interrupted one resumes from its checkpoint.",
            "#SBATCH --job-name=rnnlab-\(experiment)",
            "#SBATCH --array=0-\(last)" + (options.arrayLimit.map { "%\($0)" } ?? ""),
            "#SBATCH --output=\(directory)/array-%A_%a.out",
        ] + header + ["", "set -eu"] + exports + ["", "runs=("]
        for run in runs { array.append("  \(run.runID)   # \(run.arm.isEmpty ? "run" : run.arm), seed \(run.seed)") }
        array += [
            ")",
            "run=${runs[$SLURM_ARRAY_TASK_ID]}",
            "echo \"rnnlab: array task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID on $(hostname): run $run\"",
            "exec \(shellQuoted(environment.executable)) run \(shellQuoted(environment.experimentFile)) --run \"$run\""
                + "\(common) --blas-threads \(options.cpusPerTask)",
        ]
        arrayScript = array.joined(separator: "\n") + "\n"
        let report = [
            "#!/bin/bash",
            "# rnnlab slurm: regenerates REPORT.md, summary.csv and the plots of \(experiment) from its run records,",
            "# after every task of the array (submitted with --dependency=afterany:ARRAY_JOB).",
            "#SBATCH --job-name=rnnlab-\(experiment)-report",
            "#SBATCH --output=\(directory)/report-%j.out",
        ] + header.map { $0.hasPrefix("#SBATCH --cpus-per-task=") ? "#SBATCH --cpus-per-task=1" : $0 }
            + ["", "set -eu"] + SlurmBatch.exports(environment: environment, threads: 1) + [
            // Reports read run records only: no data directory.
            "exec \(shellQuoted(environment.executable)) report \(shellQuoted(environment.experimentFile))\(results)\(profileArgument)",
        ]
        reportScript = report.joined(separator: "\n") + "\n"
    }

    private static func header(options: SlurmOptions, environment: SlurmEnvironment) -> [String] {
        var lines = ["#SBATCH --cpus-per-task=\(options.cpusPerTask)", "#SBATCH --chdir=\(environment.workingDirectory)"]
        if let partition = options.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time = options.time { lines.append("#SBATCH --time=\(time)") }
        lines += options.extraArguments.map { "#SBATCH \($0)" }
        return lines
    }

    private static func exports(environment: SlurmEnvironment, threads: Int) -> [String] {
        var lines = ["export OPENBLAS_NUM_THREADS=\(threads)", "export RNNLAB_PLAIN=1",
                     "export RNNLAB_DATA=\(shellQuoted(environment.dataDirectory))"]
        if let mirror = environment.dataMirror { lines.append("export RNNLAB_DATA_MIRROR=\(shellQuoted(mirror))") }
        for (key, value) in environment.lockSettings.sorted(by: { $0.key < $1.key }) { lines.append("export \(key)=\(shellQuoted(value))") }
        return lines
    }

    static func validate(_ options: SlurmOptions, environment: SlurmEnvironment) throws {
        guard options.cpusPerTask >= 1 else { throw SlurmSettingsError(description: "--cpus-per-task must be at least 1, not \(options.cpusPerTask)") }
        if let limit = options.arrayLimit, limit < 1 {
            throw SlurmSettingsError(description: "--array-limit must be at least 1, not \(limit)")
        }
        if let time = options.time, !isTimeLimit(time) {
            throw SlurmSettingsError(description: "--time '\(time)' is not a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)")
        }
        if let partition = options.partition, partition.isEmpty || partition.contains(where: { $0.isWhitespace }) {
            throw SlurmSettingsError(description: "--partition '\(partition)' must be one word")
        }
        for argument in options.extraArguments where !argument.hasPrefix("-") || argument.contains(where: \.isNewline) {
            throw SlurmSettingsError(description: "--sbatch-arg '\(argument)' must be one sbatch option on one line, e.g. --account=abc")
        }
        // #SBATCH lines cannot quote: the paths they carry must not contain white space.
        for (name, path) in [("working directory", environment.workingDirectory), ("results directory", environment.results)]
        where path.contains(where: { $0.isWhitespace }) {
            throw SlurmSettingsError(description: "the \(name) '\(path)' contains white space, which #SBATCH lines cannot carry")
        }
    }

    /// Whether `text` is one of Slurm's time-limit formats.
    public static func isTimeLimit(_ text: String) -> Bool {
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { return false }
        let clock = dayParts.last.map(String.init) ?? ""
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        let numeric = { (s: Substring) in !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
        guard fields.allSatisfy(numeric), (1...3).contains(fields.count) else { return false }
        if dayParts.count == 2 { return numeric(dayParts[0]) }
        return fields.count >= 1
    }
}

/// `text` as one single-quoted shell word.
func shellQuoted(_ text: String) -> String {
    if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=:+,@%".contains($0) }), text.allSatisfy(\.isASCII) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
