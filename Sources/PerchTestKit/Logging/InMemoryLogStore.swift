import Logging

/// One recorded log event.
public struct LogEntry: Sendable, Equatable {
    /// The logger label.
    public var label: String
    /// The level.
    public var level: Logger.Level
    /// The rendered message.
    public var message: String
    /// All metadata of the event.
    public var metadata: Logger.Metadata
    /// The emitting module.
    public var source: String
}

/// A thread-safe list of log entries shared by the `InMemoryLogHandler`s that write to it.
public final class InMemoryLogStore: Sendable {
    private let state = AwaitableState<[LogEntry]>([])

    /// An empty store.
    public init() {}

    /// A logger whose events land in this store.
    public func makeLogger(label: String, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { label in InMemoryLogHandler(label: label, store: self) }
        logger.logLevel = level
        return logger
    }

    /// Every entry so far, oldest first.
    public var entries: [LogEntry] { state.value }

    /// Entries whose message contains `text`.
    public func entries(containing text: String) -> [LogEntry] {
        entries.filter { $0.message.contains(text) }
    }

    /// Removes every entry.
    public func clear() { state.update { $0.removeAll() } }

    /// Waits until an entry satisfying `predicate` has been logged (code under test may log from other tasks).
    @discardableResult
    public func waitForEntry(
        describedAs description: String = "a matching log entry",
        timeout: Duration,
        where predicate: @escaping @Sendable (LogEntry) -> Bool
    ) async throws -> LogEntry {
        try await state.wait(
            for: description, timeout: timeout,
            context: { $0.suffix(20).map { "\($0.level) \($0.label): \($0.message)" }.joined(separator: "\n") }
        ) { entries in
            entries.first(where: predicate).map { .ready($0) } ?? .pending
        }
    }

    func append(_ entry: LogEntry) { state.update { $0.append(entry) } }
}
