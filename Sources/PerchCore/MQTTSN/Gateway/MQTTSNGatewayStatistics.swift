/// The counters of the `mqttsn` section of the status JSON (SPEC §7).
public struct MQTTSNGatewayStatistics: Sendable, Hashable {
    /// Clients connected, awake or asleep.
    public var clients: Int
    /// Of those, asleep.
    public var asleep: Int
    /// Datagrams received and decoded.
    public var received: UInt64
    /// Datagrams sent.
    public var sent: UInt64
    /// Datagrams dropped as malformed or not allowed in the client's state.
    public var invalid: UInt64
    /// Downlink messages dropped: the oldest of a full sleeping buffer or
    /// downlink queue, or one whose REGISTER the client refused (§6.10, §6.14).
    public var dropped: UInt64
    /// Clients given up as lost: keep-alive or sleep timer expired, or
    /// retransmissions exhausted (§6.11, §6.13, §6.14).
    public var lost: UInt64
    /// Datagrams dropped unread: their sender was over `mqttsn.rate_limit`.
    public var rateLimited: UInt64

    /// Creates the counters.
    public init(
        clients: Int = 0, asleep: Int = 0, received: UInt64 = 0, sent: UInt64 = 0, invalid: UInt64 = 0,
        dropped: UInt64 = 0, lost: UInt64 = 0, rateLimited: UInt64 = 0
    ) {
        self.clients = clients
        self.asleep = asleep
        self.received = received
        self.sent = sent
        self.invalid = invalid
        self.dropped = dropped
        self.lost = lost
        self.rateLimited = rateLimited
    }
}
