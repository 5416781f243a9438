import Foundation
import PackagePlugin

/// Embeds the source commit into the target it is applied to (RNNLabRunStore), so that a run records the
/// commit its binary was built from, whatever directory the binary runs in.
///
/// Before every build (`swift build`, `swift build -c release`, `swift test`, `make build`) a shell writes
/// `BuildInfo.swift`, an internal `enum BuildInfo` with `gitCommit` (the package checkout's `HEAD`, or
/// `unknown` when the package is not a git checkout of its own, e.g. built from a tarball, or git is
/// missing) and `gitDirty` (uncommitted changes to tracked files under `Sources/` or to `Package.swift`).
/// The file lives in the plugin's work directory under `.build/`, so it is neither tracked nor seen by
/// `git status`, and it is rewritten only when its text changes, so an unchanged checkout rebuilds nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        return [.prebuildCommand(displayName: "Recording the source commit for \(target.name)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", Self.script, "build-info", context.package.directoryURL.path,
                                             outputDirectory.appendingPathComponent("BuildInfo.swift").path],
                                 outputFilesDirectory: outputDirectory)]
    }

    /// `sh -c SCRIPT build-info PACKAGE_DIRECTORY OUTPUT_FILE`. The package must be the top of its own git
    /// work tree: a tarball unpacked inside some other repository must not record that repository's commit.
    static let script = #"""
    set -u
    package=$1 output=$2
    PATH=/usr/bin:/bin:/usr/local/bin:${PATH:-}
    commit=unknown dirty=false
    top=$(git -C "$package" rev-parse --show-toplevel 2>/dev/null) || top=
    here=$(cd "$package" && pwd -P)
    if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$here" ] && head=$(git -C "$package" rev-parse HEAD 2>/dev/null); then
      commit=$head
      changes=$(git --no-optional-locks -C "$package" status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null) || changes=
      [ -z "$changes" ] || dirty=true
    fi
    mkdir -p "$(dirname "$output")" || exit 1
    temporary="$output.tmp.$$"
    cat > "$temporary" <<SWIFT || exit 1
    // Written before every build by Plugins/BuildInfo (not tracked; do not edit).
    /// The source this binary was built from.
    enum BuildInfo {
        /// The commit of the package checkout, or \`unknown\` when it was built outside a git checkout.
        static let gitCommit = "$commit"
        /// Whether tracked files under Sources/ or Package.swift had uncommitted changes.
        static let gitDirty = $dirty
    }
    SWIFT
    if cmp -s "$temporary" "$output"; then rm -f "$temporary"; else mv -f "$temporary" "$output"; fi
    """#
}
