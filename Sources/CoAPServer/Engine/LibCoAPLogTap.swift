internal import CLibCoAP
import Synchronization

/// Counts the datagrams libcoap 4.3.1 throws away as malformed, by reading its log.
///
/// libcoap parses every datagram before Perch sees it, and 4.3.1 has no event
/// for one it cannot parse (`COAP_EVENT_BAD_PACKET` came later). What it does
/// is log `discard malformed PDU` at warning level from `coap_handle_dgram`,
/// then answer RST. Its log handler (`coap_set_log_handler`) is process-wide
/// and takes no user data, so it cannot reach an engine: the count has to live
/// in the process, and each engine reads the difference since its own start.
/// That is why, against STYLE.md's "no globals", this type holds two
/// process-wide atomics; they are `let`s, and nothing else is shared.
///
/// Every other line libcoap logs is still printed, in libcoap's own format,
/// to standard error.
enum LibCoAPLogTap {
    /// Datagrams libcoap discarded as malformed since the tap was installed.
    static let malformedDatagrams = Atomic<UInt64>(0)

    /// The highest level printed: libcoap's log level when the tap was
    /// installed, so lowering it to see malformed datagrams prints nothing
    /// more than before. `notInstalled` until then.
    private static let printedLevel = Atomic<Int32>(notInstalled)
    private static let notInstalled = Int32.min

    /// The exact text 4.3.1 logs in `coap_handle_dgram` when `coap_pdu_parse` fails.
    private static let malformedMessage = "discard malformed PDU\n"

    /// Installs the handler once per process; later calls do nothing.
    ///
    /// libcoap tests the level before it formats a line (the `coap_log` macro),
    /// so the level must let warnings through for the count to work; when it is
    /// below that it is raised to warning, and the handler prints only what
    /// the old level would have.
    static func install() {
        let level = coap_get_log_level()
        guard printedLevel.compareExchange(expected: notInstalled, desired: level, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        if level < LOG_WARNING {
            coap_set_log_level(LOG_WARNING)
        }
        coap_set_log_handler(handler)
    }

    /// libcoap's log handler: non-capturing, called on whichever thread logs
    /// (for the engine, inside `coap_io_process` on its queue).
    private static let handler: coap_log_handler_t = { level, message in
        guard let message else { return }
        if level == LOG_WARNING, String(cString: message) == LibCoAPLogTap.malformedMessage {
            LibCoAPLogTap.malformedDatagrams.add(1, ordering: .relaxed)
        }
        if level <= LibCoAPLogTap.printedLevel.load(ordering: .relaxed) {
            perch_coap_log_to_stderr(level, message)
        }
    }
}
