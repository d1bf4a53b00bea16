#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, through POSIX `open`, `fstat` and `read`.
public struct LocalFileSystem: ConfigurationFileSystem {
    /// Files larger than this are refused: no configuration, secret or CA
    /// bundle comes close, and a mistaken path (a disk image) must not fill memory.
    public static let maximumFileSize = 16 * 1024 * 1024

    /// Creates the file system.
    public init() {}

    /// Reads the regular file at `path`.
    public func readFile(atPath path: String) throws(FileReadError) -> FileSnapshot {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.error(errno) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.error(errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile }
        guard Int64(status.st_size) <= Int64(Self.maximumFileSize) else { throw .other("larger than 16MiB") }

        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while contents.count <= Self.maximumFileSize {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno)
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        return FileSnapshot(contents: contents, permissions: UInt16(truncatingIfNeeded: status.st_mode & 0o7777))
    }

    private static func error(_ code: Int32) -> FileReadError {
        switch code {
        case ENOENT, ENOTDIR: .notFound
        case EACCES, EPERM: .permissionDenied
        case EISDIR: .notARegularFile
        default: .other(String(cString: strerror(code)))
        }
    }
}
