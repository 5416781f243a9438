import Foundation

/// Where this process has seen users' data files, by SHA-256: filled when an experiment file or
/// `rnnlab train --data-file` is read (the file was then found and checked), consulted when a run
/// built from the configuration needs the file. A run configuration names a user file by checksum only.
public final class UserDataLocations: @unchecked Sendable {
    /// The table of this process.
    public static let shared = UserDataLocations()

    private let lock = NSLock()
    private var urls: [String: URL] = [:]

    public init() {}

    /// Remembers that the file at `url` has checksum `sha256`.
    public func add(_ url: URL, sha256: String) {
        lock.lock()
        defer { lock.unlock() }
        urls[sha256] = url.standardizedFileURL
    }

    /// A file seen with checksum `sha256`, if any.
    public func url(of sha256: String) -> URL? {
        lock.lock()
        defer { lock.unlock() }
        return urls[sha256]
    }
}

/// File checksums by path, size and modification time, for this process: a user's file named by
/// several sections of an experiment is hashed once.
final class FileChecksums: @unchecked Sendable {
    static let shared = FileChecksums()
    private let lock = NSLock()
    private var entries: [String: (size: Int, modified: Double, sha256: String)] = [:]

    func sha256(of url: URL, progress: ((Int) -> Void)? = nil) throws -> String {
        let path = url.standardizedFileURL.path
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw DataError.unreadable(path: path, reason: "no such file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        lock.lock()
        let cached = entries[path]
        lock.unlock()
        if let cached, cached.size == size, cached.modified == modified { return cached.sha256 }
        let digest = try SHA256.hex(ofFileAt: path, progress: progress)
        lock.lock()
        entries[path] = (size, modified, digest)
        lock.unlock()
        return digest
    }
}

extension DataDirectory {
    /// The checksum of a user's file (cached in this process by path, size and modification time).
    public static func checksum(of url: URL) throws -> String {
        try FileChecksums.shared.sha256(of: url)
    }

    /// The same, calling `progress` with the bytes hashed so far (large files).
    public static func checksum(of url: URL, progress: @escaping (Int) -> Void) throws -> String {
        try FileChecksums.shared.sha256(of: url, progress: progress)
    }

    /// The local files of a user's data set, found by checksum where this process saw them (an experiment
    /// file or the project's data registry that named them was read); each is checked before use.
    public func locate(_ reference: DataFileReference) throws -> [URL] {
        try reference.fileChecksums.map { sha in
            guard let url = UserDataLocations.shared.url(of: sha) else {
                throw DataError.userFileNotFound(name: reference.name, sha256: sha, looked: nil)
            }
            let actual = try Self.checksum(of: url)
            guard actual == sha else { throw DataError.userFileNotFound(name: reference.name, sha256: sha, looked: url.path) }
            return url
        }
    }
}
