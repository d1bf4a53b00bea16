import Logging
import Synchronization

/// The level every `JournalLogHandler` made by one factory follows, so that a
/// reload can change `log.level` for loggers that already exist (each part
/// holds its own `Logger` copy, made at start).
public final class LogLevelControl: Sendable {
    private let raw: Atomic<Int>

    /// A control starting at `level`.
    public init(_ level: Logger.Level) {
        raw = Atomic(Self.index(of: level))
    }

    /// The level now.
    public var level: Logger.Level {
        get { Self.levels[raw.load(ordering: .relaxed)] }
        set { raw.store(Self.index(of: newValue), ordering: .relaxed) }
    }

    private static let levels = Logger.Level.allCases

    private static func index(of level: Logger.Level) -> Int {
        levels.firstIndex(of: level) ?? 0
    }
}
