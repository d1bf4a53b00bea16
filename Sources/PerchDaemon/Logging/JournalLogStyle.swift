import Logging

/// The two shapes of a log line: for journald, or for a person at a terminal.
public enum JournalLogStyle: Sendable, Equatable {
    /// `<6>label: message key=value` — the sd-daemon(3) priority prefix, which journald strips and stores.
    case journal
    /// `INFO label: message key=value` — the level spelled out.
    case readable

    /// `.journal` when `JOURNAL_STREAM` is set, i.e. systemd connected standard output to the journal.
    ///
    /// systemd.exec(5): the variable is set for services whose output goes to the journal.
    public static func detect(environment: [String: String]) -> JournalLogStyle {
        if let stream = environment["JOURNAL_STREAM"], !stream.isEmpty { return .journal }
        return .readable
    }

    /// The syslog priority of `level` (sd-daemon(3), RFC 5424 §6.2.1).
    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The prefix that starts a line of `level`, e.g. `<4>` or `WARNING `.
    func prefix(for level: Logger.Level) -> String {
        switch self {
        case .journal: return "<\(Self.priority(of: level))>"
        case .readable: return level.rawValue.uppercased() + " "
        }
    }
}
