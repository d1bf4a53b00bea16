import MQTTCodec
import NIOCore
import PerchCore

/// The MQTT client protocol of the uplink as a value: connection phases, packet
/// identifiers, the in-flight window and the FIFO behind it, QoS 1/2 exchanges
/// in both directions, retransmission on reconnect, subscriptions and
/// keep-alive deadlines.
///
/// It does no I/O and reads no clock: every input carries `now`, and every
/// output is an `UplinkAction` the connection layer carries out. The session
/// part (in-flight messages, queued requests, subscriptions) outlives a
/// connection; the `phase` describes the current one.
struct UplinkStateMachine: Sendable {
    /// What does not change between connections.
    struct Settings: Sendable {
        /// The CONNECT packet sent on every connection.
        var connect: ConnectPacket
        /// The configured in-flight window (before the broker's Receive Maximum).
        var inFlightWindow: Int
        /// The longest wait for CONNACK after the connection opened.
        var connectTimeout: TimeAmount
        /// `host:port`, for error messages.
        var endpoint: String
        /// How long a graceful shutdown waits for in-flight messages before DISCONNECT.
        var drainTimeout: TimeAmount = .seconds(2)
        /// `uplink.max_packet_size`: the broker's limit when it cannot say it (3.1.1).
        var maximumPacketSize: Int? = nil

        var version: MQTTProtocolVersion { connect.version }
    }

    /// The current connection.
    enum Phase: Sendable, Equatable {
        /// No connection; requests queue.
        case disconnected
        /// CONNECT sent at `since`; waiting for CONNACK.
        case awaitingConnAck(since: NIODeadline)
        /// CONNACK accepted.
        case connected(Link)
        /// A close was asked for; waiting for the connection to go.
        case closing
        /// Shut down for good; every request fails.
        case stopped
    }

    /// What the broker granted on the current connection.
    struct Link: Sendable, Equatable {
        /// min(configured window, broker's Receive Maximum) (MQTT 5.0 §3.2.2.3.3).
        var window: Int
        /// The broker's Maximum Packet Size, if it gave one (MQTT 5.0 §3.2.2.3.6).
        var maximumPacketSize: Int?
        /// The highest QoS the broker accepts (MQTT 5.0 §3.2.2.3.4); higher is sent at this.
        var maximumQoS: MQTTQoS = .exactlyOnce
        /// False when the broker refuses retained messages (MQTT 5.0 §3.2.2.3.5).
        var isRetainAvailable = true
        var keepAlive: KeepAlive
    }

    /// Fixed but for the client id, which an MQTT 5 broker may assign once.
    var settings: Settings
    var phase: Phase = .disconnected

    // Session state: survives reconnects.
    var packetIDs = PacketIDAllocator()
    var pending = CircularBuffer<QueuedPublish>()
    var inFlight: [UInt16: InFlightPublish] = [:]
    var nextSequence: UInt64 = 0
    /// Inbound QoS 2 packet ids between PUBREC and PUBREL: a PUBLISH with one of
    /// these ids is a duplicate and is not delivered again (MQTT 5.0 §4.3.3).
    var awaitingRelease: Set<UInt16> = []
    /// Subscriptions asked for and not refused or removed, in the order asked.
    var subscriptions: [SubscribePacket.Subscription] = []
    var controlQueue = CircularBuffer<ControlRequest>()
    var openControl: [UInt16: OpenControlRequest] = [:]
    /// What the broker refuses, and the will it takes (kept across connections).
    var limits: BrokerLimits
    /// The broker's Maximum Packet Size from its last CONNACK: still the best
    /// guess while the link is down.
    var brokerMaximumPacketSize: Int?
    /// A connection was lost with messages in flight: they go out one at a
    /// time until each is acknowledged, so that one the broker keeps closing
    /// the link over is found and taken out (`poisonThreshold`).
    var isProbing = false
    /// Set by `shutdown`: nothing new is taken, nothing is reconnected.
    var isShuttingDown = false
    /// While shutting down: when to stop waiting for in-flight acknowledgements.
    var drainDeadline: NIODeadline?

    init(settings: Settings) {
        self.settings = settings
        self.limits = BrokerLimits(configuredWill: settings.connect.will)
    }

    /// The largest PUBLISH the broker is known to take: the smaller of its
    /// last CONNACK's Maximum Packet Size and `uplink.max_packet_size`.
    var knownMaximumPacketSize: Int? {
        switch (brokerMaximumPacketSize, settings.maximumPacketSize) {
        case (let broker?, let configured?): return min(broker, configured)
        case (let broker?, nil): return broker
        case (nil, let configured?): return configured
        case (nil, nil): return nil
        }
    }

    /// What the broker's limits make the uplink give up on the current link
    /// (the status's `uplink.degraded`).
    var degradations: [String] {
        guard case .connected(let link) = phase else { return [] }
        return limits.degradations(maximumQoS: link.maximumQoS, isRetainAvailable: link.isRetainAvailable)
    }

    var isConnected: Bool {
        if case .connected = phase { return true }
        return false
    }

    /// True once shutdown began: requests fail and the uplink does not reconnect.
    var isStopped: Bool { isShuttingDown }

    // MARK: Connection lifecycle

    /// The transport is up: send CONNECT and start the CONNACK timer.
    mutating func connectionOpened(now: NIODeadline) -> [UplinkAction] {
        guard !isShuttingDown else { return [.close(nil)] }
        guard phase == .disconnected else { return [] }
        phase = .awaitingConnAck(since: now)
        var connect = settings.connect
        connect.will = limits.will
        return [.send(.connect(connect))]
    }

    /// The transport is gone. Session state stays for the next connection;
    /// SUBSCRIBE/UNSUBSCRIBE still open are sent again then. `byBroker`: the
    /// broker ended it (a close or reset, no error of ours or of TLS).
    mutating func connectionClosed(byBroker: Bool = false) -> [UplinkAction] {
        if isShuttingDown {
            // Lost while draining: whoever still waits is told now.
            phase = .stopped
            drainDeadline = nil
            return failInFlight()
        }
        var actions: [UplinkAction] = []
        if case .awaitingConnAck = phase, byBroker, settings.version == .v3_1_1, limits.closedBeforeConnAck() {
            // 3.1.1 has no refusal code for a will it cannot take: Mosquitto just closes.
            actions.append(.warn(
                "the broker closed the connection before CONNACK; trying again with a will it may take (\(Self.describe(limits.will)))"
            ))
        }
        actions += strikeLoneMessageInFlight()
        phase = .disconnected
        // Unacknowledged messages now wait for the next connection, however long
        // that takes: they must not pin the read buffers their payloads came from.
        for (packetID, entry) in inFlight {
            inFlight[packetID]?.packet.payload = entry.packet.payload.detachedFromReadBuffer()
            inFlight[packetID]?.isSentOnThisConnection = false
        }
        let open = openControl.sorted { $0.value.sequence > $1.value.sequence }
        for (packetID, entry) in open {
            packetIDs.release(packetID)
            controlQueue.prepend(entry.request)
        }
        openControl.removeAll()
        return actions
    }

    /// A will as the log shows it.
    static func describe(_ will: ConnectPacket.Will?) -> String {
        guard let will else { return "no will" }
        return "will at QoS \(will.qos.rawValue)\(will.retain ? ", retained" : ", not retained")"
    }

    // MARK: Timers

    /// When `timerFired(now:)` next has something to do.
    var nextDeadline: NIODeadline? {
        switch phase {
        case .awaitingConnAck(let since):
            return since + settings.connectTimeout
        case .connected(let link):
            guard let drainDeadline else { return link.keepAlive.nextDeadline }
            return min(drainDeadline, link.keepAlive.nextDeadline ?? drainDeadline)
        case .disconnected, .closing, .stopped:
            return nil
        }
    }

    /// The connect timeout or a keep-alive deadline may have passed.
    mutating func timerFired(now: NIODeadline) -> [UplinkAction] {
        switch phase {
        case .awaitingConnAck(let since):
            guard now >= since + settings.connectTimeout else { return [] }
            let timeout = UplinkError.connectTimeout(endpoint: settings.endpoint, after: settings.connectTimeout.duration)
            // A broker that speaks only 3.1.1 may leave a v5 CONNECT unanswered.
            return close(because: settings.version == .v5 ? .protocolMismatch(detail: timeout.description) : timeout)
        case .connected(var link):
            if let drainDeadline, now >= drainDeadline {
                return disconnect()
            }
            switch link.keepAlive.decide(now: now) {
            case .nothing:
                return []
            case .sendPing:
                phase = .connected(link)
                return [.send(.pingreq)]
            case .declareDead:
                let grace = TimeAmount.nanoseconds(link.keepAlive.interval.nanoseconds * 3 / 2)
                return close(because: .keepAliveTimeout(after: grace.duration))
            }
        case .disconnected, .closing, .stopped:
            return []
        }
    }

    // MARK: Helpers shared by the extensions

    /// Ends the connection because of `error`.
    mutating func close(because error: UplinkError) -> [UplinkAction] {
        if phase != .stopped { phase = .closing }
        return [.close(error)]
    }

    /// Ends the connection for a protocol violation; MQTT 5 says why first (§4.13).
    mutating func protocolViolation(_ detail: String, code: MQTTReasonCode = .protocolError) -> [UplinkAction] {
        var actions: [UplinkAction] = []
        if settings.version == .v5, isConnected {
            actions.append(.send(.disconnect(DisconnectPacket(reasonCode: code))))
        }
        return actions + close(because: .protocolViolation(detail))
    }

    /// Records outbound traffic for the keep-alive.
    mutating func noteSent(_ actions: [UplinkAction], now: NIODeadline) {
        guard case .connected(var link) = phase else { return }
        guard actions.contains(where: { if case .send = $0 { return true } else { return false } }) else { return }
        link.keepAlive.didSend(at: now)
        phase = .connected(link)
    }

    mutating func updateLink(_ body: (inout Link) -> Void) {
        guard case .connected(var link) = phase else { return }
        body(&link)
        phase = .connected(link)
    }

    mutating func takeSequence() -> UInt64 {
        defer { nextSequence += 1 }
        return nextSequence
    }
}

extension TimeAmount {
    /// The same span as a `Duration`.
    var duration: Duration { .nanoseconds(nanoseconds) }
}

extension Duration {
    /// The same span as a NIO `TimeAmount`, saturating instead of overflowing.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .nanoseconds(seconds < 0 ? Int64.min : Int64.max) }
        let (total, overflowAgain) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return .nanoseconds(overflowAgain ? Int64.max : total)
    }
}
