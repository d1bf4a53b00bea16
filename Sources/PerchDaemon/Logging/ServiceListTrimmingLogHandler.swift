import ServiceLifecycle
import Logging

/// The service group's log handler: the one it wraps, without the
/// `sl-services` list on "Starting service lifecycle".
///
/// That list joins every service's description in one line (about 500
/// characters for a full gateway); the "Starting service" line that follows
/// for each part names it on a line of its own, in the same order (issue 20,
/// item 9: one short line per part).
struct ServiceListTrimmingLogHandler: LogHandler {
    /// swift-service-lifecycle's default key for the list.
    static let servicesKey = ServiceGroupConfiguration.LoggingConfiguration.Keys().servicesKey

    var base: any LogHandler

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata?.removeValue(forKey: Self.servicesKey)
        base.log(event: event)
    }
}

extension Logger {
    /// This logger for a `ServiceGroup`: the same output and level, without the
    /// one long line listing every service.
    var forServiceGroup: Logger {
        let handler = ServiceListTrimmingLogHandler(base: self.handler)
        return Logger(label: label) { _ in handler }
    }
}
