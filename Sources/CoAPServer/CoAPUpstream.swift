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

    /// Subscribes upstream to `filter` (the full topic, mountpoint included):
    /// called when the first CoAP client observes `/ps/{topic}` (RFC 7641).
    /// Messages that arrive for it come back through `CoAPServer.deliver(_:)`.
    func subscribe(_ filter: String) async throws

    /// Drops the subscription to `filter` once its last observer is gone.
    func unsubscribe(_ filter: String) async throws
}
