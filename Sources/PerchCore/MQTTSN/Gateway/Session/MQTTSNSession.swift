import MQTTSNCodec

/// Everything the gateway knows about one client (MQTT-SN v1.2 §6): its state,
/// topic ids, subscriptions, will, the QoS exchanges in both directions and its
/// downlink queue. A value owned by ``MQTTSNGateway``.
struct MQTTSNSession<Peer: Hashable & Sendable, Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    let clientID: String
    var peer: Peer
    var state: MQTTSNClientState
    var cleanSession: Bool
    /// The CONNECT's Duration (§5.3.3); 0 = not supervised.
    var keepAliveSeconds: UInt16
    /// The Duration of the DISCONNECT that put it to sleep (§6.14).
    var sleepSeconds: UInt16?
    var registry: TopicRegistry
    /// Upstream topic (mountpoint + name) per usable normal id, so that a
    /// PUBLISH costs no string concatenation.
    var upstreamTopics: [UInt16: String] = [:]
    /// Subscriptions by local filter text.
    var subscriptions: [String: MQTTSNClientSubscription] = [:]
    var will: MQTTSNWill?
    /// Will prompting of a CONNECT in progress (§6.2).
    var willPrompt: MQTTSNWillPrompt?
    /// Re-prompts sent so far in the will flow.
    var willPromptRetries = 0

    /// When the client was last heard from: the only thing a received packet
    /// updates for supervision (the timer heap re-checks it lazily).
    var lastHeard: Instant
    /// When the current will prompt or in-flight exchange is due for retransmission.
    var retryDeadline: Instant?

    /// The client's own mountpoint: the configured one with `${clientid}` resolved.
    let mountpoint: Mountpoint

    /// Which connection this is; carried by ``UpstreamReceipt``s so that an
    /// answer for an earlier connection is not taken for this one.
    var connection: UInt64
    /// Stamps this session's timer heap entries; an entry with another stamp is stale.
    var timerStamp: UInt64 = 0
    /// The deadline of this session's live heap entry, if any.
    var scheduled: Instant?

    /// Client → gateway QoS 1/2 PUBLISHes awaiting the uplink, by MsgId (§6.6).
    var awaitingUpstream: [UInt16: MQTTSNInboundPublish] = [:]
    /// QoS 2 MsgIds answered with PUBREC and awaiting PUBREL (§6.6): a repeated
    /// PUBLISH with one of them is answered, not forwarded again.
    var receivedQoS2: Set<UInt16> = []

    /// Gateway → client messages not yet sent, oldest first (§6.10, §6.14).
    var queue = MQTTSNRing<MQTTSNOutboundMessage>()
    /// The REGISTER or QoS 1/2 PUBLISH outstanding, if any.
    var inFlight: MQTTSNInFlight?
    /// The gateway's last MsgId to this client.
    var lastMessageID: UInt16 = 0
    /// SUBACKs of this connection waiting for the broker's SUBACK. While any
    /// waits, downlink stays queued: a retained message the broker sends for the
    /// new subscription must not overtake the SUBACK that announces it (§6.9).
    var heldSubAcks = 0

    init(clientID: String, mountpoint: Mountpoint, peer: Peer, registry: TopicRegistry, now: Instant, connection: UInt64) {
        self.clientID = clientID
        self.mountpoint = mountpoint
        self.peer = peer
        self.state = .connecting
        self.cleanSession = true
        self.keepAliveSeconds = 0
        self.registry = registry
        self.lastHeard = now
        self.connection = connection
    }

    /// The next MsgId for a gateway REGISTER or PUBLISH, never 0x0000 (§5.3.6).
    mutating func nextMessageID() -> UInt16 {
        lastMessageID = lastMessageID == UInt16.max ? 1 : lastMessageID + 1
        return lastMessageID
    }

    /// When supervision gives the client up if nothing more is heard: 1.5 × the
    /// keep-alive (§6.11) or the sleep duration (§6.14); `nil` when not supervised.
    var supervisionDeadline: Instant? {
        let seconds: UInt16
        switch state {
        case .active: seconds = keepAliveSeconds
        case .asleep, .awake: seconds = sleepSeconds ?? 0
        case .connecting, .disconnected, .lost: return nil
        }
        guard seconds > 0 else { return nil }
        return lastHeard.advanced(by: .milliseconds(Int64(seconds) * 1_500))
    }

    /// The earliest instant at which a timer of this session is due.
    var nextDue: Instant? {
        switch (supervisionDeadline, retryDeadline) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }

    /// The persisted form of this session.
    var record: MQTTSNClientRecord<Peer> {
        MQTTSNClientRecord(
            clientID: clientID, peer: peer, cleanSession: cleanSession, keepAliveSeconds: keepAliveSeconds,
            sleepSeconds: state == .asleep || state == .awake ? sleepSeconds : nil,
            registry: registry,
            subscriptions: subscriptions.values.sorted { $0.filter.utf8.lexicographicallyPrecedes($1.filter.utf8) },
            will: will, isDisconnected: !state.isLive)
    }
}
