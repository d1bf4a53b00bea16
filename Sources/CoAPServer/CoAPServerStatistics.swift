/// The CoAP server's counters for the status document (SPEC §7, `coap`).
public struct CoAPServerStatistics: Sendable, Equatable {
    /// Requests handled on `/ps/{topic}`, answered or refused.
    public var requests: UInt64 = 0
    /// Requests refused as malformed (4.00), plus datagrams libcoap discarded
    /// as malformed CoAP (it answers those RST). Not counted: datagrams
    /// shorter than the 4-byte header, which libcoap drops without a trace, and
    /// requests with an unknown critical option, which libcoap answers 4.02
    /// itself.
    public var invalid: UInt64 = 0
    /// Observations (RFC 7641) active now: each session and token observing a topic.
    public var observers: Int = 0
    /// Confirmable publishes still waiting for the upstream.
    public var pendingPublishes: Int = 0
    /// The receive buffer the kernel granted (SO_RCVBUF as read back, which
    /// Linux reports doubled), smallest over the sockets it was set on; `nil`
    /// when none was asked for or no socket was found.
    public var receiveBufferSize: Int?

    /// All zero.
    public init() {}
}
