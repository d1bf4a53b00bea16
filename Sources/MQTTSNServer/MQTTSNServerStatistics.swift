import PerchCore

/// What the MQTT-SN server reports for the status document (SPEC §7 `mqttsn`).
public struct MQTTSNServerStatistics: Sendable, Hashable {
    /// The gateway's counters: clients, asleep, received, sent, invalid.
    public var gateway: MQTTSNGatewayStatistics
    /// Datagrams the kernel dropped for our sockets (receive buffer full), from
    /// /proc/net/udp{,6}; `nil` where the kernel does not say.
    public var kernelDrops: UInt64?
    /// The receive buffer the kernel granted (SO_RCVBUF as read back), smallest
    /// over the listeners; `nil` before they are bound.
    public var receiveBufferSize: Int?

    /// Creates the statistics.
    public init(gateway: MQTTSNGatewayStatistics, kernelDrops: UInt64? = nil, receiveBufferSize: Int? = nil) {
        self.gateway = gateway
        self.kernelDrops = kernelDrops
        self.receiveBufferSize = receiveBufferSize
    }
}
