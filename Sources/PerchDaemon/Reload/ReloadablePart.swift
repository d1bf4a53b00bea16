import PerchConfig

/// A running part of perchd that takes a new configuration on SIGHUP
/// (`systemctl reload perchd`) without a restart of the process.
///
/// `ReloadService` validates the new file first; a part only ever sees a
/// configuration that loaded without errors. Each part compares what it uses
/// of `old` and `new` and applies the difference itself, in place (log level,
/// status interval, the spool's bounds, MQTT-SN's tables and limits, GPIO
/// pins), never by dropping a message the spool or a sensor was promised.
/// What no part can change in place (sockets, the uplink's connection, the
/// libcoap context) is named by `PerchConfiguration.restartOnlyChanges`.
protocol ReloadablePart: Sendable {
    /// The part's name in log lines and the status: `uplink`, `mqttsn`, `gpio`, ….
    var reloadName: String { get }

    /// Applies `new` where it differs from `old` in what this part uses.
    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome
}

/// What a part made of a new configuration.
struct ReloadOutcome: Sendable, Equatable {
    /// Key paths applied (`log.level`, `mqttsn.predefined`, …); empty when nothing this part uses changed.
    var applied: [String] = []
    /// Key paths that changed but could not be applied, each with the reason;
    /// the running value stays. The log and the status say so.
    var refused: [(key: String, reason: String)] = []

    static func == (lhs: ReloadOutcome, rhs: ReloadOutcome) -> Bool {
        lhs.applied == rhs.applied && lhs.refused.map(\.key) == rhs.refused.map(\.key)
            && lhs.refused.map(\.reason) == rhs.refused.map(\.reason)
    }

    init(applied: [String] = [], refused: [(key: String, reason: String)] = []) {
        self.applied = applied
        self.refused = refused
    }
}
