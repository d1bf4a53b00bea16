/// `log`: logging verbosity.
public struct LogConfiguration: Sendable, Equatable {
    /// `log.level`. Default: `info`.
    public var level: LogLevel

    /// Creates the section.
    public init(level: LogLevel = .info) {
        self.level = level
    }
}

/// `log.level`: the least severe message that is printed. The names are
/// swift-log's, so `perchd` maps them one to one.
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    /// Everything, including per-packet traces.
    case trace
    /// Debugging detail.
    case debug
    /// Normal operation.
    case info
    /// Notable but normal events.
    case notice
    /// Something is wrong but Perch copes.
    case warning
    /// Errors only.
    case error
}
