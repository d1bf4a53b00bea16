/// How a child process ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// It called `exit` with this code.
    case exited(Int32)
    /// A signal ended it (e.g. 9 after `kill()`).
    case signalled(Int32)

    /// True for `exit(0)`.
    public var isSuccess: Bool { self == .exited(0) }

    /// "exit 0", "signal 9".
    public var description: String {
        switch self {
        case let .exited(code): return "exit \(code)"
        case let .signalled(signal): return "signal \(signal)"
        }
    }
}
