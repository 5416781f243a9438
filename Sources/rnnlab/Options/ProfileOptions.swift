import ArgumentParser

/// `--profile`: a profile of the experiment files, shared by every command that plans runs.
struct ProfileOptions: ParsableArguments {
    @Option(help: "A profile of the experiment files (e.g. smoke).") var profile: String?
}
