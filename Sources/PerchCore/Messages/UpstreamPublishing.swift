/// Something that carries messages to the upstream broker: the uplink.
///
/// Core parts (the status reporter now; the router and the spool later) depend on
/// this protocol, never on the uplink's type, so that the dependency points inward.
public protocol UpstreamPublishing: Sendable {
    /// Sends `message` upstream.
    ///
    /// Returns once the broker has taken responsibility for the message: at QoS 1
    /// when PUBACK arrives, at QoS 2 when PUBREC arrives (MQTT 5.0 §4.3.3: from then
    /// on the broker owns it), at QoS 0 once it is written to the connection.
    /// While the uplink is down the call waits; it throws only when the uplink is
    /// shutting down or the broker refuses the message.
    func publish(_ message: Message) async throws
}
