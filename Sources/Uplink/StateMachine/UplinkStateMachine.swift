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
    /// Set by `shutdown`: nothing new is taken, nothing is reconnected.
    var isShuttingDown = false
    /// While shutting down: when to stop waiting for in-flight acknowledgements.
    var drainDeadline: NIODeadline?

    init(settings: Settings) {
        self.settings = settings
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
        return [.send(.connect(settings.connect))]
    }

    /// The transport is gone. Session state stays for the next connection;
    /// SUBSCRIBE/UNSUBSCRIBE still open are sent again then.
    mutating func connectionClosed() -> [UplinkAction] {
        if isShuttingDown {
            // Lost while draining: whoever still waits is told now.
            phase = .stopped
            drainDeadline = nil
            return failInFlight()
        }
        phase = .disconnected
        // Unacknowledged messages now wait for the next connection, however long
        // that takes: they must not pin the read buffers their payloads came from.
        for (packetID, entry) in inFlight {
            inFlight[packetID]?.packet.payload = entry.packet.payload.detachedFromReadBuffer()
        }
        let open = openControl.sorted { $0.value.sequence > $1.value.sequence }
        for (packetID, entry) in open {
            packetIDs.release(packetID)
            controlQueue.prepend(entry.request)
        }
        openControl.removeAll()
        return []
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
            return close(because: .connectTimeout(endpoint: settings.endpoint, after: settings.connectTimeout.duration))
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
