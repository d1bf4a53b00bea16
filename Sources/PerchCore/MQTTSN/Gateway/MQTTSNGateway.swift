import Logging
import MQTTSNCodec

/// The MQTT-SN v1.2 aggregating gateway as a state machine (SPEC §3): every
/// client's session, its topic ids, the subscriptions shared on the one uplink,
/// keep-alive and sleep supervision. No I/O and no clock of its own: each event
/// carries `now`, and what is to be done comes back as actions appended to the
/// caller's buffer (reused, so the per-datagram path allocates nothing for them).
///
/// The shell (MQTTSNServer) owns one value, confined to one event loop, and:
/// - calls `start` once, which sends the first ADVERTISE when configured;
/// - hands it each decoded datagram (`receive`), each malformed one (`malformed`),
///   each downlink message from the uplink (`downlink`), each upstream publish
///   outcome (`upstreamPublishCompleted`);
/// - calls `expireTimers` when `nextDeadline` has passed;
/// - carries out the actions in order.
///
/// Docs/mqtt-sn.md lists, per section of the specification, what it does.
public struct MQTTSNGateway<Peer: Hashable & Sendable, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    /// What it was configured with.
    public internal(set) var configuration: MQTTSNGatewayConfiguration
    /// The counters for the status JSON.
    public internal(set) var statistics: MQTTSNGatewayStatistics
    let logger: Logger

    /// Every session: live ones, and the kept sessions of clean-session-off
    /// clients that disconnected or were lost. Swap-removed, so an index is only
    /// valid until the next `close`.
    var sessions: [MQTTSNSession<Peer, Instant>] = []
    /// Where each client's session is in `sessions`.
    var indexByClientID: [String: Int] = [:]
    /// Where the session of each live client's address is: the per-datagram lookup.
    var indexByPeer: [Peer: Int] = [:]
    /// The subscriptions of every client, reference counted upstream (SPEC §3).
    var subscriptions: SubscriptionTable<String>
    /// Keep-alive, sleep, retransmission and will-prompt timers.
    var timers = MQTTSNTimerHeap<Instant>()
    /// Stamps timer entries and connections; never repeats.
    var nextStamp: UInt64 = 1
    /// Upstream topic per predefined id: mountpoint + name, built once.
    var predefinedUpstreamTopics: [UInt16: String]
    /// When the next ADVERTISE is due; `nil` before `start` or when none is configured.
    var nextAdvertise: Instant?
    /// True once `start` (or the first `expireTimers`) has run.
    var isStarted = false
    /// SUBACKs waiting for the broker's SUBACK, by upstream filter.
    var pendingSubAcks: [String: [MQTTSNPendingSubAck]] = [:]
    /// The datagram budget of each source address; `nil` without a rate limit.
    var rateLimiter: TokenBuckets<Peer, Instant>?
    /// Each peer's budget of `debug` lines about refusals and drops.
    var refusalLog = PeerLogBudget<Peer, Instant>()

    /// A gateway with no clients.
    public init(configuration: MQTTSNGatewayConfiguration, logger: Logger) {
        var configuration = configuration
        // A zero interval would make a retransmission due again at once, forever.
        configuration.retryInterval = max(configuration.retryInterval, .milliseconds(1))
        configuration.retryCount = max(configuration.retryCount, 0)
        configuration.sleepingBuffer = max(configuration.sleepingBuffer, 0)
        self.configuration = configuration
        self.statistics = MQTTSNGatewayStatistics()
        self.logger = logger
        self.subscriptions = SubscriptionTable(mountpoint: configuration.mountpoint)
        self.predefinedUpstreamTopics = configuration.predefinedTopics.namesByID.mapValues {
            configuration.mountpoint.upstreamTopic(for: $0)
        }
        self.rateLimiter = configuration.rateLimit.map { Self.rateLimiter($0, maxClients: configuration.maxClients) }
    }

    static func rateLimiter(_ limit: RateLimit, maxClients: Int) -> TokenBuckets<Peer, Instant> {
        // Room for every client twice over (a client's old and new address).
        TokenBuckets(limit: limit, capacity: max(4_096, 2 * maxClients))
    }

    /// The earliest instant at which `expireTimers` has work to do, `nil` when none.
    /// O(1): the top of the timer heap (which may be stale, making the call early
    /// and harmless) and the ADVERTISE deadline.
    public var nextDeadline: Instant? {
        switch (timers.first?.deadline, nextAdvertise) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }

    /// The state of a client, `nil` when the gateway keeps no session for it.
    public func state(ofClient clientID: String) -> MQTTSNClientState? {
        indexByClientID[clientID].map { sessions[$0].state }
    }

    /// The subscriptions the gateway holds upstream, ordered by filter: what the
    /// uplink subscribes to again after a reconnect without a kept session.
    public var upstreamSubscriptions: [UpstreamSubscription] {
        subscriptions.upstreamSubscriptions()
    }

    /// A datagram from `peer` that did not decode: counted, never fatal.
    public mutating func malformed(from peer: Peer) {
        statistics.invalid &+= 1
    }

    /// Whether a datagram from `source` (the UDP sender: a forwarder counts as
    /// one source for all its nodes) is within `mqttsn.rate_limit`; asked
    /// before it is decoded. One over is dropped and counted in `rate_limited`,
    /// and the first of each run of them is logged.
    public mutating func admit(_ source: Peer, now: Instant) -> Bool {
        guard rateLimiter != nil else { return true }
        // Optional chaining mutates the table in place (no copy per datagram).
        switch rateLimiter?.admit(source, now: now) {
        case .admitted?, nil:
            return true
        case .limited(let first)?:
            statistics.rateLimited &+= 1
            if first, let limit = configuration.rateLimit {
                logger.notice("MQTT-SN: \(source) is over mqttsn.rate_limit (\(limit)); its datagrams are dropped until it slows down")
            }
            return false
        }
    }
}
