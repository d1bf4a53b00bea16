import Glibc

/// Why the saved pin states could not be read or written. The description
/// names the file and the problem: the service logs it and carries on (with
/// nothing restored, or with the states in memory only).
public enum PinStateFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file exists but could not be read.
    case unreadable(path: String, errno: Int32)
    /// The file was read but is not a JSON object of pin names to `ON`/`OFF`.
    case corrupt(path: String, reason: String)
    /// Writing the file failed at `operation` (`open`, `write`, `fsync`, `rename`…).
    case unwritable(path: String, operation: String, errno: Int32)

    /// The file it concerns.
    public var path: String {
        switch self {
        case let .unreadable(path, _), let .corrupt(path, _), let .unwritable(path, _, _): path
        }
    }

    /// One line for the log.
    public var description: String {
        switch self {
        case let .unreadable(path, code):
            "cannot read the saved GPIO states \(path): \(Self.text(code))"
        case let .corrupt(path, reason):
            "the saved GPIO states \(path) are damaged (\(reason)); pins with initial: restore start off"
        case let .unwritable(path, operation, code):
            "cannot save the GPIO states to \(path) (\(operation)): \(Self.text(code))"
        }
    }

    private static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
