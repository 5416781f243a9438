/// Provenance in a run record (`provenance` object, snake_case keys).
extension Provenance: Codable {
    enum CodingKeys: String, CodingKey {
        case gitCommit = "git_commit", gitDirty = "git_dirty", rnnlabVersion = "rnnlab_version", swiftVersion = "swift_version"
        case blas, blasThreads = "blas_threads", hdf5, cpu, commandLine = "command_line"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(gitCommit: try c.decode(String.self, forKey: .gitCommit), gitDirty: try c.decode(Bool.self, forKey: .gitDirty),
                  rnnlabVersion: try c.decode(String.self, forKey: .rnnlabVersion),
                  swiftVersion: try c.decode(String.self, forKey: .swiftVersion), blas: try c.decode(String.self, forKey: .blas),
                  blasThreads: try c.decode(Int.self, forKey: .blasThreads), hdf5: try c.decode(String.self, forKey: .hdf5),
                  cpu: try c.decode(String.self, forKey: .cpu), commandLine: try c.decode(String.self, forKey: .commandLine))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gitCommit, forKey: .gitCommit)
        try c.encode(gitDirty, forKey: .gitDirty)
        try c.encode(rnnlabVersion, forKey: .rnnlabVersion)
        try c.encode(swiftVersion, forKey: .swiftVersion)
        try c.encode(blas, forKey: .blas)
        try c.encode(blasThreads, forKey: .blasThreads)
        try c.encode(hdf5, forKey: .hdf5)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(commandLine, forKey: .commandLine)
    }
}
