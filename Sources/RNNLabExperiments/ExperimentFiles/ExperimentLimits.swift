/// The sizes an experiment file may not exceed. Past them, reading the file would take
/// unbounded time or memory (an alias bomb, nesting deep enough to overflow the stack,
/// a sweep of millions of runs), so each is a located error instead.
/// Documented in `docs/experiments.md` ("Limits").
public enum ExperimentLimits {
    /// YAML values (scalars, lists and mappings, keys not counted) once aliases are expanded.
    public static let maximumValues = 100_000
    /// Levels of nested lists and mappings, the file's top-level mapping being level 1.
    public static let maximumDepth = 32
    /// Runs of one profile: the compare grid's points (before `exclude`) plus the `include` arms, times the seeds.
    public static let maximumRuns = 100_000
}
