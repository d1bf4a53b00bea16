/// What the loader needs from the disk: the configuration file, secret files
/// and certificate files. Injected so that tests are deterministic.
public protocol ConfigurationFileSystem: Sendable {
    /// The contents and permission bits of the regular file at `path`.
    func readFile(atPath path: String) throws(FileReadError) -> FileSnapshot
}

/// A file as read at load time.
public struct FileSnapshot: Sendable, Equatable {
    /// The bytes of the file.
    public var contents: [UInt8]
    /// The permission bits (`st_mode & 0o7777`).
    public var permissions: UInt16

    /// Creates a snapshot.
    public init(contents: [UInt8], permissions: UInt16) {
        self.contents = contents
        self.permissions = permissions
    }

    /// Whether users other than the owner and group may read the file.
    public var isReadableByOthers: Bool { permissions & 0o004 != 0 }
}

/// Why a file could not be read.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at that path.
    case notFound
    /// The process may not read it.
    case permissionDenied
    /// The path names a directory, a device or a socket.
    case notARegularFile
    /// Any other failure, with the system's words for it.
    case other(String)

    /// Words for an error message, e.g. `no such file`.
    public var description: String {
        switch self {
        case .notFound: "no such file"
        case .permissionDenied: "permission denied"
        case .notARegularFile: "not a regular file"
        case let .other(reason): reason
        }
    }
}
