import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be written whole (a full disk, a file-size limit, a
/// read-only directory). Whatever was at the destination before is unchanged.
public struct FileWriteError: Error, CustomStringConvertible {
    public var path: String
    public var code: Int32
    public var description: String {
        let hint = code == ENOSPC || code == EDQUOT ? " (the disk is full)" : code == EFBIG ? " (over the file-size limit)" : ""
        return "cannot write \(path): \(String(cString: strerror(code)))\(hint); the previous file, if any, was left unchanged"
    }
}

extension FileWriteError {
    /// Runs `body`, turning a Foundation write error with a POSIX cause (a full disk…) into a `FileWriteError` for `path`.
    public static func clarifying<T>(path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as CocoaError {
            let file = error.filePath ?? path
            if let posix = error.underlying as? POSIXError { throw FileWriteError(path: file, code: posix.code.rawValue) }
            if let underlying = error.underlying as NSError?, underlying.domain == NSPOSIXErrorDomain {
                throw FileWriteError(path: file, code: Int32(underlying.code))
            }
            switch error.code {
            case .fileWriteOutOfSpace: throw FileWriteError(path: file, code: ENOSPC)
            case .fileWriteVolumeReadOnly: throw FileWriteError(path: file, code: EROFS)
            case .fileWriteNoPermission: throw FileWriteError(path: file, code: EACCES)
            default: throw error
            }
        }
    }
}

/// Writing whole files: to a temporary file beside the destination, synced,
/// then renamed over it, so a reader sees the old file or the new one, never a
/// part; a failed write removes its temporary file.
enum DurableWrite {
    /// Writes `bytes` to `temporary` (which must not exist), syncs it and renames it to `path`.
    static func write(_ bytes: [UInt8], to path: String, through temporary: String) throws {
        unlink(temporary)   // a leftover with this process id is from a dead process
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: temporary, code: errno) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw FileWriteError(path: path, code: failure)
        }
        // The rename itself is durable once the directory is synced.
        let directory = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
