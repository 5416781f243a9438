import Foundation
import PackagePlugin

/// Embeds the source commit into the target it is applied to (RNNLabRunStore), so that a run records the
/// commit its binary was built from, whatever directory the binary runs in.
///
/// Before every build (`swift build`, `swift build -c release`, `swift test`, `make build`) `/bin/sh` runs
/// `write-build-info.sh` (beside this file), which writes `BuildInfo.swift`: an internal `enum BuildInfo` with
/// `gitCommit` (the package checkout's `HEAD`, or `unknown` when the package is not a git checkout of its own,
/// e.g. built from a tarball, or git is missing) and `gitDirty` (uncommitted changes to tracked files under
/// `Sources/` or to `Package.swift`). The file lives in the plugin's work directory under `.build/`, so it is
/// neither tracked nor seen by `git status`, and it is rewritten only when its text changes, so an unchanged
/// checkout rebuilds nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let script = context.package.directoryURL.appendingPathComponent("Plugins/BuildInfo/write-build-info.sh")
        return [.prebuildCommand(displayName: "Recording the source commit for \(target.name)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: [script.path, context.package.directoryURL.path,
                                             outputDirectory.appendingPathComponent("BuildInfo.swift").path],
                                 outputFilesDirectory: outputDirectory)]
    }
}
