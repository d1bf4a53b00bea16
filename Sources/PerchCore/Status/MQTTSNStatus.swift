/// The `mqttsn` section of the status JSON (SPEC §7).
public struct MQTTSNStatus: Sendable, Equatable {
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
    /// Datagrams the kernel dropped for Perch's sockets (receive buffer full);
    /// absent where the kernel does not say. Not in SPEC §7's example: an addition.
    public var kernelDrops: UInt64?

    /// Creates the section.
    public init(clients: Int, asleep: Int, received: UInt64, sent: UInt64, invalid: UInt64, kernelDrops: UInt64? = nil) {
        self.clients = clients
        self.asleep = asleep
        self.received = received
        self.sent = sent
        self.invalid = invalid
        self.kernelDrops = kernelDrops
    }

    /// From the gateway's counters.
    public init(_ statistics: MQTTSNGatewayStatistics, kernelDrops: UInt64? = nil) {
        self.init(
            clients: statistics.clients,
            asleep: statistics.asleep,
            received: statistics.received,
            sent: statistics.sent,
            invalid: statistics.invalid,
            kernelDrops: kernelDrops
        )
    }
}

extension MQTTSNStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case clients, asleep, rx, tx, invalid
        case kernelDrops = "kernel_drops"
    }

    /// SPEC §7's field names: `rx`, `tx`; `kernel_drops` only when known.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clients, forKey: .clients)
        try container.encode(asleep, forKey: .asleep)
        try container.encode(received, forKey: .rx)
        try container.encode(sent, forKey: .tx)
        try container.encode(invalid, forKey: .invalid)
        try container.encodeIfPresent(kernelDrops, forKey: .kernelDrops)
    }
}
