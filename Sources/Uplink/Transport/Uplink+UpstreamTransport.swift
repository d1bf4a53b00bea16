import PerchCore

/// The spool's window onto the broker. Both calls happen on `eventLoop`, so a
/// message costs what `send(_:)` costs: no hop, no promise, no table entry; the
/// ticket rides in the state machine and its outcome goes straight to the
/// handler.
///
/// Outcomes are handed to the handler after the batch of packets that
/// produced them has been written, never in the middle of one, so a handler
/// may call `transmit` again at once. The one outcome reported from inside
/// `transmit` itself is `.refused` for a message the encoder refuses (a bad
/// topic), and `.interrupted` after shutdown.
extension Uplink: UpstreamTransport {
    /// Sets the one receiver of ticket outcomes; call on `eventLoop` before
    /// the first `transmit`.
    public func setTransmissionHandler(_ handler: @escaping (UpstreamTicket, UpstreamTransmissionOutcome) -> Void) {
        core.value.transmissionHandler = handler
    }

    /// Sets the one receiver of link changes (CONNACK accepted: `true`; the
    /// connection lost: `false`); call on `eventLoop`. If the link is already
    /// up, the handler hears `true` at once.
    public func setLinkHandler(_ handler: @escaping (Bool) -> Void) {
        core.value.linkHandler = handler
        if core.value.machine.isConnected { handler(true) }
    }

    /// Queues `message` behind everything queued before it (by any of the
    /// uplink's methods) and reports its outcome once with `ticket`; see
    /// `UpstreamTransport.transmit(_:ticket:)`. Call on `eventLoop`.
    public func transmit(_ message: Message, ticket: UpstreamTicket) {
        core.value.transmit(message, ticket: ticket)
    }

    /// A message whose PUBLISH exceeds the broker's known Maximum Packet Size
    /// (see `UpstreamTransport.refusal(of:)`). Call on `eventLoop`.
    public func refusal(of message: Message) -> MessageRefusal? {
        core.value.refusal(of: message)
    }
}
