import Logging

/// A swift-log handler that writes journald-style lines to standard output (SPEC §8).
///
/// One line per event and no timestamps (journald adds its own). With
/// `JOURNAL_STREAM` set the line starts with a `<N>` syslog priority that
/// journald turns into the entry's priority; otherwise the level is spelled out.
/// Only `perchd` bootstraps logging with it; libraries take a `Logger` parameter.
///
/// ```swift
/// LoggingSystem.bootstrap(JournalLogHandler.factory(level: .info, environment: ProcessInfo.processInfo.environment))
/// ```
public struct JournalLogHandler: LogHandler {
    /// The logger label, printed before the message.
    public let label: String
    /// Journal or readable lines.
    public let style: JournalLogStyle
    /// The handler's metadata.
    public var metadata: Logger.Metadata = [:]
    /// The minimum level: the shared control's, unless set on this handler.
    public var logLevel: Logger.Level {
        get { ownLevel ?? levelControl?.level ?? .info }
        set { ownLevel = newValue }
    }
    private var ownLevel: Logger.Level?
    private let levelControl: LogLevelControl?
    /// Contextual metadata added to every event.
    public var metadataProvider: Logger.MetadataProvider?

    private let output: any LogLineOutput

    /// A handler with an explicit style and output.
    public init(
        label: String, level: Logger.Level = .info, style: JournalLogStyle,
        output: any LogLineOutput = FileDescriptorLogOutput(), metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.ownLevel = level
        self.levelControl = nil
        self.style = style
        self.output = output
        self.metadataProvider = metadataProvider
    }

    /// A handler whose style follows `environment` (`JournalLogStyle.detect`).
    public init(
        label: String, level: Logger.Level = .info, environment: [String: String],
        output: any LogLineOutput = FileDescriptorLogOutput()
    ) {
        self.init(label: label, level: level, style: .detect(environment: environment), output: output)
    }

    /// A handler whose level follows `levelControl` until it is set on the handler itself.
    public init(label: String, levelControl: LogLevelControl, style: JournalLogStyle, output: any LogLineOutput) {
        self.label = label
        self.ownLevel = nil
        self.levelControl = levelControl
        self.style = style
        self.output = output
        self.metadataProvider = nil
    }

    /// A factory for `LoggingSystem.bootstrap`; all handlers share one output, so
    /// lines never interleave, and one level, so that a reload changes them all.
    public static func factory(
        level: LogLevelControl, environment: [String: String], output: any LogLineOutput = FileDescriptorLogOutput()
    ) -> @Sendable (String) -> any LogHandler {
        let style = JournalLogStyle.detect(environment: environment)
        return { label in JournalLogHandler(label: label, levelControl: level, style: style, output: output) }
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one line; event metadata wins over provider metadata, which wins over the handler's.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        // No `event.error` (swift-log 1.12): Debian's Swift 6.0 resolves 1.11, and
        // Perch itself passes errors as "error" metadata.
        output.write(
            line: JournalLogLine.render(
                style: style, level: event.level, label: label, message: event.message.description,
                metadata: merged))
    }
}
