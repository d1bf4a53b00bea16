import Logging

/// A swift-log handler that records every event in an `InMemoryLogStore`, for tests that assert on logs.
///
/// ```swift
/// let logs = InMemoryLogStore()
/// let logger = logs.makeLogger(label: "uplink")
/// // ... hand `logger` to the code under test ...
/// #expect(logs.entries.contains { $0.level == .warning })
/// ```
public struct InMemoryLogHandler: LogHandler {
    /// Where events go.
    public let store: InMemoryLogStore
    /// The logger label.
    public let label: String
    /// The handler's own metadata, merged into each entry.
    public var metadata: Logger.Metadata = [:]
    /// The minimum level; `.trace` by default so tests see everything.
    public var logLevel: Logger.Level = .trace
    /// Contextual metadata, merged into each entry.
    public var metadataProvider: Logger.MetadataProvider?

    /// Makes a handler that records into `store`.
    public init(label: String, store: InMemoryLogStore) {
        self.label = label
        self.store = store
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Records `event`, with handler, provider and event metadata merged in that order of precedence.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        store.append(
            LogEntry(
                label: label, level: event.level, message: event.message.description, metadata: merged,
                source: event.source))
    }
}
