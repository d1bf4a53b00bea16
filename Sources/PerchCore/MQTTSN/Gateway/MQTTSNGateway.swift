import Logging
import MQTTSNCodec

/// The MQTT-SN v1.2 aggregating gateway as a state machine (SPEC §3): every
/// client's session, its topic ids, the subscriptions shared on the one uplink,
/// keep-alive and sleep supervision. No I/O and no clock of its own: each event
/// carries `now`, and what is to be done comes back as actions appended to the
/// caller's buffer (reused, so the per-datagram path allocates nothing for them).
///
/// The shell (MQTTSNServer) owns one value, confined to one event loop, and:
/// - hands it each decoded datagram (`receive`), each malformed one (`malformed`),
///   each downlink message from the uplink (`downlink`), each upstream publish
///   outcome (`upstreamPublishCompleted`);
/// - calls `expireTimers` when `nextDeadline` has passed;
/// - carries out the actions in order.
public struct MQTTSNGateway<Peer: Hashable & Sendable, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    /// What it was configured with.
    public private(set) var configuration: MQTTSNGatewayConfiguration
    /// The counters for the status JSON.
    public private(set) var statistics: MQTTSNGatewayStatistics
    private let logger: Logger

    /// A gateway with no clients.
    public init(configuration: MQTTSNGatewayConfiguration, logger: Logger) {
        self.configuration = configuration
        self.statistics = MQTTSNGatewayStatistics()
        self.logger = logger
    }

    /// The earliest instant at which `expireTimers` has work to do, `nil` when none.
    public var nextDeadline: Instant? { nil }

    /// Takes back the clients of an earlier run, from the store: they count as
    /// connected (or asleep) from `now`, and their subscriptions are asked for upstream.
    public mutating func restore(_ records: [MQTTSNClientRecord<Peer>], now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {}

    /// One decoded datagram from `peer`. An encapsulated message is unwrapped by the
    /// shell, whose `Peer` then names the forwarder and the wireless node.
    public mutating func receive(_ packet: MQTTSNPacket, from peer: Peer, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {}

    /// A datagram from `peer` that did not decode: counted, never fatal.
    public mutating func malformed(from peer: Peer) {
        statistics.invalid &+= 1
    }

    /// A message from the uplink (its topic with the mountpoint).
    public mutating func downlink(_ message: Message, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {}

    /// The uplink's answer to a `.publish` that carried `receipt`.
    public mutating func upstreamPublishCompleted(_ receipt: UpstreamReceipt, accepted: Bool, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {}

    /// Keep-alive, sleep, retransmission and ADVERTISE timers due at `now`.
    public mutating func expireTimers(now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {}
}
