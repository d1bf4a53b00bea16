/// The `mqttsn` section of the status JSON (SPEC §7).
public struct MQTTSNStatus: Sendable, Equatable {
    /// The gateway's counters: `clients`, `asleep`, `rx`, `tx`, `invalid`, and
    /// `rate_limited` (datagrams dropped over `mqttsn.rate_limit`; an addition to SPEC §7).
    public var counters: MQTTSNGatewayStatistics
    /// Datagrams the kernel dropped for Perch's sockets (receive buffer full);
    /// absent where the kernel does not say. Not in SPEC §7's example: an addition.
    public var kernelDrops: UInt64?

    /// The section for the gateway's counters.
    public init(_ counters: MQTTSNGatewayStatistics, kernelDrops: UInt64? = nil) {
        self.counters = counters
        self.kernelDrops = kernelDrops
    }

    /// The section with the given counts.
    public init(clients: Int, asleep: Int, received: UInt64, sent: UInt64, invalid: UInt64, kernelDrops: UInt64? = nil) {
        self.init(
            MQTTSNGatewayStatistics(clients: clients, asleep: asleep, received: received, sent: sent, invalid: invalid),
            kernelDrops: kernelDrops
        )
    }
}

extension MQTTSNStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case clients, asleep, rx, tx, invalid
        case rateLimited = "rate_limited"
        case kernelDrops = "kernel_drops"
    }

    /// SPEC §7's field names: `rx`, `tx`; `kernel_drops` only when known.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(counters.clients, forKey: .clients)
        try container.encode(counters.asleep, forKey: .asleep)
        try container.encode(counters.received, forKey: .rx)
        try container.encode(counters.sent, forKey: .tx)
        try container.encode(counters.invalid, forKey: .invalid)
        try container.encode(counters.rateLimited, forKey: .rateLimited)
        try container.encodeIfPresent(kernelDrops, forKey: .kernelDrops)
    }
}
