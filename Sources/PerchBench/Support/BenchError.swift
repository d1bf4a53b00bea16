import Foundation

/// What can stop a benchmark; each case says what was being done.
enum BenchError: Error, CustomStringConvertible {
    /// A file under `/proc` was missing or not in the expected shape.
    case unreadableProcFile(path: String, detail: String)
    /// An external tool (strip, valgrind, …) failed.
    case toolFailed(tool: String, detail: String)
    /// The uplink did not reach the broker in time.
    case notConnected(detail: String)
    /// A benchmark setting is out of range.
    case invalidSetting(String)
    /// A system call failed.
    case system(operation: String, errno: Int32)
    /// A load-generator or counter step did not complete (no CONNACK, no REGACK, perchd not answering).
    case handshakeFailed(String)
    /// perchd (or the broker behind it) stopped answering in the middle of a case.
    case notAnswering(String)

    var description: String {
        switch self {
        case let .unreadableProcFile(path, detail): return "cannot read \(path): \(detail)"
        case let .toolFailed(tool, detail): return "\(tool) failed: \(detail)"
        case let .notConnected(detail): return "the uplink did not connect: \(detail)"
        case let .invalidSetting(text): return "invalid setting: \(text)"
        case let .system(operation, code): return "\(operation): \(String(cString: strerror(code)))"
        case let .handshakeFailed(text): return text
        case let .notAnswering(text): return text
        }
    }
}
