internal import CLibCoAP
import Logging
import Synchronization

/// libcoap's own log, through perchd's logger: counted, leveled sensibly and
/// rate-limited.
///
/// libcoap 4.3.1 logs through one process-wide handler (`coap_set_log_handler`)
/// that takes no user data, so it cannot reach an engine: the tap's state has
/// to live in the process. That is why, against STYLE.md's "no globals", this
/// type holds process-wide atomics and a lock-protected logger; they are
/// `let`s, and the logger is the one the engine that installed it was given.
///
/// - **Counting.** 4.3.1 has no event for a datagram it cannot parse
///   (`COAP_EVENT_BAD_PACKET` came later); it logs `discard malformed PDU` at
///   warning level and answers RST. Each engine reads the count's difference
///   since its own start.
/// - **Levels.** libcoap's are louder than what they say: `ALRT got RST for
///   mid=…` is a client declining a notification (RFC 7641 §3.6), and a
///   malformed datagram from the network is counted in `coap.invalid`.
///   Those go to `debug`; libcoap's errors to `warning` (it carries on);
///   warnings to `notice`; notices and info to `info`; debug to `debug`.
/// - **Rate.** A line whose text (digits aside) was logged in the last 60 s
///   is not logged again; the next one that is says how many were held back.
///   One garbage datagram per second cannot fill the journal.
enum LibCoAPLogTap {
    /// Datagrams libcoap discarded as malformed since the tap was installed.
    static let malformedDatagrams = Atomic<UInt64>(0)

    private struct State {
        var logger: Logger?
        /// Per line shape: when it was last logged, and how many were held back since.
        var recent: [String: (at: ContinuousClock.Instant, held: Int)] = [:]
        var isInstalled = false
    }

    private static let state = Mutex(State())
    /// A shape is logged at most once per this long.
    static let quietPeriod: Duration = .seconds(60)
    /// Shapes remembered at most; beyond it the table starts again.
    private static let maximumShapes = 256

    /// The exact text 4.3.1 and 4.3.4 log in `coap_handle_dgram` when `coap_pdu_parse` fails.
    private static let malformedMessage = "discard malformed PDU"

    /// Installs the handler once per process and routes libcoap's lines to
    /// `logger` from now on (the last engine to start wins: one per process
    /// in perchd).
    ///
    /// libcoap tests the level before it formats a line (the `coap_log`
    /// macro), so the level must let warnings through for the count to work,
    /// and the logger's own level decides what is shown: libcoap's is set to
    /// info (debug only when the logger shows debug, which costs libcoap's
    /// formatting of every packet).
    static func install(logger: Logger) {
        let first = state.withLock { state -> Bool in
            state.logger = logger
            defer { state.isInstalled = true }
            return !state.isInstalled
        }
        perch_coap_set_log_level(logger.logLevel <= .debug ? PERCH_COAP_LOG_DEBUG : PERCH_COAP_LOG_INFO)
        if first { coap_set_log_handler(handler) }
    }

    /// libcoap's log handler: non-capturing, called on whichever thread logs
    /// (for the engine, inside `coap_io_process` on its queue).
    private static let handler: coap_log_handler_t = { level, message in
        guard let message else { return }
        var text = String(cString: message)
        while text.last == "\n" { text.removeLast() }
        let level = perch_coap_log_level_number(level)
        if level == PERCH_COAP_LOG_WARNING, text == LibCoAPLogTap.malformedMessage {
            LibCoAPLogTap.malformedDatagrams.add(1, ordering: .relaxed)
        }
        LibCoAPLogTap.log(text, libcoapLevel: level)
    }

    private static func log(_ text: String, libcoapLevel: Int32) {
        let swiftLevel = level(of: text, libcoapLevel: libcoapLevel)
        let shape = String(text.map { $0.isNumber ? "#" : $0 })
        let now = ContinuousClock.now
        let (logger, held): (Logger?, Int?) = state.withLock { state in
            guard let logger = state.logger, logger.logLevel <= swiftLevel else { return (nil, nil) }
            if let recent = state.recent[shape], now - recent.at < quietPeriod {
                state.recent[shape] = (recent.at, recent.held + 1)
                return (nil, nil)
            }
            let held = state.recent[shape]?.held ?? 0
            if state.recent.count >= maximumShapes { state.recent.removeAll() }
            state.recent[shape] = (now, 0)
            return (logger, held)
        }
        guard let logger, let held else { return }
        var metadata: Logger.Metadata = [:]
        if held > 0 { metadata["held_back"] = "\(held)" }
        logger.log(level: swiftLevel, "libcoap: \(text)", metadata: metadata)
    }

    private static func level(of text: String, libcoapLevel: Int32) -> Logger.Level {
        if text.hasPrefix("got RST") || text == malformedMessage { return .debug }
        switch libcoapLevel {
        case ...PERCH_COAP_LOG_ERR: return .warning
        case PERCH_COAP_LOG_WARNING: return .notice
        case PERCH_COAP_LOG_NOTICE, PERCH_COAP_LOG_INFO: return .info
        default: return .debug
        }
    }
}
