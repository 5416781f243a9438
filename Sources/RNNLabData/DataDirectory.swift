import Foundation

/// The state of one registered file in a data directory.
public enum FileStatus: Equatable, Sendable {
    case ok
    case missing
    case corrupt(actualSHA256: String)
}

/// Where data sets live on this machine, and how missing ones are filled in.
///
/// The directory is the explicit one (`--data-dir`), else `RNNLAB_DATA`, else
/// `data/` under the working directory. Missing files are copied from a mirror
/// directory with the same layout (`RNNLAB_DATA_MIRROR`), from the path where a system
/// package installs them (`DataFileDescriptor.systemPath`), or downloaded from
/// their canonical source where a network exists. Every file is checked
/// against its registered SHA-256 before use.
public struct DataDirectory: Sendable {
    /// Where data files are kept.
    public let root: URL
    /// Where missing files are copied from, if set.
    public let mirror: URL?
    /// The directory relative paths are resolved in (the project root when run from it).
    public let workingDirectory: URL

    public init(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.workingDirectory = workingDirectory
        if let explicit, !explicit.isEmpty {
            root = URL(fileURLWithPath: explicit, relativeTo: workingDirectory).standardizedFileURL
        } else if let fromEnvironment = environment["RNNLAB_DATA"], !fromEnvironment.isEmpty {
            root = URL(fileURLWithPath: fromEnvironment, relativeTo: workingDirectory).standardizedFileURL
        } else {
            root = workingDirectory.appendingPathComponent("data").standardizedFileURL
        }
        if let mirror = environment["RNNLAB_DATA_MIRROR"], !mirror.isEmpty {
            self.mirror = URL(fileURLWithPath: mirror, relativeTo: workingDirectory).standardizedFileURL
        } else {
            self.mirror = nil
        }
    }

    /// The local path of a registered file (whether or not it exists).
    public func url(of file: DataFileDescriptor) -> URL {
        root.appendingPathComponent(file.relativePath)
    }

    /// The status of every file of a data set, without filling anything in.
    public func verify(_ dataSet: DataSetDescriptor) -> [(file: DataFileDescriptor, status: FileStatus)] {
        var cache = ChecksumCache(root: root)
        defer { cache.save() }
        return dataSet.files.map { ($0, status(of: $0, cache: &cache)) }
    }

    /// The local URLs of every file of a data set, filling in missing or corrupt
    /// files from the mirror or the network; throws one clear error otherwise.
    public func ensure(_ dataSet: DataSetDescriptor) throws -> [URL] {
        var cache = ChecksumCache(root: root)
        defer { cache.save() }
        return try dataSet.files.map { file in
            let local = url(of: file)
            let first = status(of: file, cache: &cache)
            if first == .ok { return local }
            var details = [first == .missing ? "not in the data directory \(root.path)"
                                             : "corrupt in the data directory: \(local.path) (\(first))"]
            if let mirror {
                let source = mirror.appendingPathComponent(file.relativePath)
                if FileManager.default.fileExists(atPath: source.path) {
                    do {
                        try install(from: source, to: local)
                        if status(of: file, cache: &cache) == .ok { return local }
                        details.append("the mirror's copy \(source.path) has the wrong checksum")
                    } catch {
                        details.append("could not copy \(source.path): \(error)")
                    }
                } else {
                    details.append("not in the mirror \(mirror.path)")
                }
            } else {
                details.append("no mirror: RNNLAB_DATA_MIRROR is not set")
            }
            if let systemPath = file.systemPath {
                if FileManager.default.fileExists(atPath: systemPath) {
                    do {
                        try install(from: URL(fileURLWithPath: systemPath), to: local)
                        if status(of: file, cache: &cache) == .ok { return local }
                        details.append("the system copy \(systemPath) has the wrong checksum")
                    } catch {
                        details.append("could not copy \(systemPath): \(error)")
                    }
                } else {
                    details.append("not at its system path \(systemPath) (install the Debian package: make deps)")
                }
            }
            if file.downloadable {
                do {
                    try download(file.sourceURL, to: local)
                    if status(of: file, cache: &cache) == .ok { return local }
                    details.append("the download from \(file.sourceURL) has the wrong checksum")
                } catch {
                    details.append("download from \(file.sourceURL) failed: \(error)")
                }
            } else {
                details.append("not downloadable as is (source: \(file.sourceURL))")
            }
            try? FileManager.default.removeItem(at: local)   // never leave a corrupt file to be trusted
            throw DataError.unavailable(
                dataSet: dataSet.name, file: file.relativePath, details: details, expectedSHA256: file.sha256,
                remedy: "Set RNNLAB_DATA_MIRROR to a folder with the same layout (e.g. ../shared/data), "
                    + "or put the file at \(local.path).")
        }
    }

    private func status(of file: DataFileDescriptor, cache: inout ChecksumCache) -> FileStatus {
        let path = url(of: file).path
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        guard let actual = try? cache.sha256(of: path) else { return .corrupt(actualSHA256: "unreadable") }
        return actual == file.sha256 ? .ok : .corrupt(actualSHA256: actual)
    }

    /// Copies `source` to `destination` through a temporary file and a rename.
    private func install(from source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = destination.appendingPathExtension("tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.copyItem(at: source, to: temporary)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
        try moveAtomically(temporary, to: destination)
    }

    /// rename(2): atomic, and replaces an existing destination.
    private func moveAtomically(_ source: URL, to destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: source)
            throw DataError.unreadable(path: destination.path, reason: "cannot move the new file into place: \(reason)")
        }
    }

    private func download(_ source: String, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = destination.appendingPathExtension("download-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-fsSL", "--max-time", "60", "-o", temporary.path, source]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DataError.unreadable(path: source, reason: "curl exited with status \(process.terminationStatus) (no network?)")
        }
        try moveAtomically(temporary, to: destination)
    }
}

/// Remembers file checksums by (path, size, modification time), in
/// `.checksums.json` under the data directory, so that large files are hashed once.
struct ChecksumCache {
    private struct Entry: Codable { var size: Int; var modified: Double; var sha256: String }
    private let file: URL
    private var entries: [String: Entry]
    private var changed = false

    init(root: URL) {
        file = root.appendingPathComponent(".checksums.json")
        entries = (try? JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: file))) ?? [:]
    }

    mutating func sha256(of path: String) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if let entry = entries[path], entry.size == size, entry.modified == modified { return entry.sha256 }
        let digest = try SHA256.hex(ofFileAt: path)
        entries[path] = Entry(size: size, modified: modified, sha256: digest)
        changed = true
        return digest
    }

    func save() {
        guard changed, let data = try? JSONEncoder().encode(entries) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: file, options: .atomic)
    }
}
