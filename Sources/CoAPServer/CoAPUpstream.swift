import NIOCore
import PerchCore

/// Where the CoAP server hands the messages that sensors publish with
/// PUT or POST on `/ps/{topic}` (SPEC §4).
///
/// The daemon implements it over the spool; tests implement it with a recorder.
public protocol CoAPUpstream: Sendable {
    /// Takes a message from a confirmable request. The future succeeds once the
    /// message is safe (acknowledged by the broker or committed to the spool,
    /// SPEC §5); only then does the sensor get 2.04. A failed future answers 5.03.
    func enqueue(_ message: Message) -> EventLoopFuture<Void>

    /// Takes a message from a non-confirmable request: fire and forget.
    func send(_ message: Message)
}
