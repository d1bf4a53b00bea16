import MQTTCodec
import NIOCore

/// One message held by the spool, as it is written to and read from disk.
///
/// `sequence` is the spool's global arrival order: every message the spool
/// takes gets the next one, and the spool hands messages to the uplink in that
/// order (Docs/spool.md, "Ordering"). It never goes backwards, across restarts
/// too: after a restart the next number is one past the highest on disk.
public struct SpooledMessage: Sendable, Equatable {
    /// The arrival order, unique within the spool file.
    public var sequence: UInt64
    /// The message as the sender gave it (mountpoint included). `expiry` is the
    /// sender's own lifetime, if it gave one; the spool adds `max_age` on top.
    public var message: Message
    /// When the spool took it, in milliseconds since the Unix epoch (wall
    /// clock: it must mean the same after a restart, for `max_age`).
    public var arrivalMilliseconds: Int64

    public init(sequence: UInt64, message: Message, arrivalMilliseconds: Int64) {
        self.sequence = sequence
        self.message = message
        self.arrivalMilliseconds = arrivalMilliseconds
    }

    /// What the message counts against `spool.max_bytes`: its topic and payload
    /// bytes (and content type, if any). The file itself is larger by SQLite's
    /// overhead per row; Docs/spool.md gives the ratio measured.
    public var accountedBytes: Int {
        Self.accountedBytes(of: message)
    }

    /// `accountedBytes` of a message not yet numbered.
    public static func accountedBytes(of message: Message) -> Int {
        message.topic.utf8.count + message.payload.readableBytes + (message.contentType?.utf8.count ?? 0)
    }
}
