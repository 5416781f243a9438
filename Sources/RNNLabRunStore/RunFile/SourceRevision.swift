/// The source a binary was built from: the commit and dirty flag the `BuildInfo` build plugin
/// (`Plugins/BuildInfo`) embeds before every build, so they do not depend on the directory the binary runs in.
public struct SourceRevision: Equatable, Sendable {
    /// The commit of a binary built outside a git checkout of the package (from a tarball) or without git.
    public static let unknownCommit = "unknown"

    /// The full commit hash, or `unknownCommit`.
    public var commit: String
    /// Whether tracked files under `Sources/` or `Package.swift` had uncommitted changes when it was built.
    public var isDirty: Bool

    /// A revision with the given commit and dirty flag.
    public init(commit: String, isDirty: Bool) {
        self.commit = commit
        self.isDirty = isDirty
    }

    /// The source of this binary, as recorded when it was built. (Release builds optimise across modules, so
    /// other modules may hold a copy of it; they are recompiled whenever this module's interface changes, as it
    /// does with a new commit.)
    public static let built = SourceRevision(commit: BuildInfo.gitCommit, isDirty: BuildInfo.gitDirty)

    /// Whether the build knew its commit.
    public var isKnown: Bool { commit != Self.unknownCommit }

    /// One line for `rnnlab info`.
    public var summary: String {
        guard isKnown else { return "unknown commit (built outside a git checkout)" }
        return "git \(commit)" + (isDirty ? " with uncommitted changes under Sources/ or to Package.swift" : "")
    }
}
