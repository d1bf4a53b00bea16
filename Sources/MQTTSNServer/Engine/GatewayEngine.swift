import Logging
import MQTTSNCodec
import NIOCore
import PerchCore

/// The gateway state machine and everything that carries out its actions, confined
/// to the one event loop that also runs every listener's channel: a datagram goes
/// from the socket to the state machine and its reply into the socket's write
/// buffer without a lock, a hop or an allocation beyond the buffers.
///
/// Not Sendable: only the loop touches it (through `NIOLoopBoundBox` from outside,
/// `assumeIsolated()` from inside).
final class GatewayEngine {
    typealias Gateway = MQTTSNGateway<MQTTSNPeer, ContinuousClock.Instant>
    typealias Action = MQTTSNGatewayAction<MQTTSNPeer>

    /// One bound socket.
    struct Listener {
        let channel: any Channel
        let isIPv6: Bool
        /// Written to since the last flush.
        var needsFlush = false
    }

    let eventLoop: any EventLoop
    let logger: Logger
    let clock = ContinuousClock()
    let upstream: any MQTTSNUpstream
    let subscriptions: SubscriptionQueue
    let records: RecordWriter?
    let advertiseAddress: SocketAddress?

    var gateway: Gateway
    /// Reused for every event, so carrying out actions allocates no array.
    var actions: [Action] = []
    /// True while `actions` is being carried out: an event that arrives then
    /// (a publish future that is already complete) waits for the next loop tick.
    var isCarryingOut = false
    var listeners: [Listener] = []
    /// With more than one listener of a family, which one each peer last used:
    /// replies leave from the socket the client sent to. Empty otherwise.
    var replyListener: [SocketAddress: Int] = [:]
    var hasSeveralListenersPerFamily = false
    static let replyListenerLimit = 1 << 16
    var timer: Scheduled<Void>?
    var timerDeadline: ContinuousClock.Instant?
    var isStopping = false

    init(
        gateway: Gateway,
        eventLoop: any EventLoop,
        upstream: any MQTTSNUpstream,
        subscriptions: SubscriptionQueue,
        records: RecordWriter?,
        advertiseAddress: SocketAddress?,
        logger: Logger
    ) {
        self.gateway = gateway
        self.eventLoop = eventLoop
        self.upstream = upstream
        self.subscriptions = subscriptions
        self.records = records
        self.advertiseAddress = advertiseAddress
        self.logger = logger
        self.actions.reserveCapacity(16)
    }

    // MARK: Events

    /// The records of an earlier run, before any listener is bound.
    func restore(_ clientRecords: [MQTTSNClientRecord<MQTTSNPeer>]) {
        gateway.restore(clientRecords, now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
    }

    /// The listeners, once all are bound; the handler's `listener` indexes this.
    func attach(_ channels: [(channel: any Channel, isIPv6: Bool)]) {
        listeners = channels.map { Listener(channel: $0.channel, isIPv6: $0.isIPv6) }
        let v6 = listeners.filter(\.isIPv6).count
        hasSeveralListenersPerFamily = v6 > 1 || listeners.count - v6 > 1
    }

    /// Once the listeners are attached and before they read: the gateway's own
    /// timers start, and the first ADVERTISE (when configured) goes out (§6.1).
    func start() {
        gateway.start(now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
    }

    /// One datagram from the socket of `listener`. The flush waits for the end of
    /// the read batch (`endOfEvents`).
    func receive(_ envelope: AddressedEnvelope<ByteBuffer>, on listener: Int) {
        let address = envelope.remoteAddress
        if hasSeveralListenersPerFamily {
            // Bounded: a flood of forged source addresses must not grow it forever;
            // a peer forgotten here is answered from the first socket of its family.
            if replyListener.count >= Self.replyListenerLimit { replyListener.removeAll(keepingCapacity: true) }
            replyListener[address] = listener
        }
        // Before the decode: a flood costs a table lookup per datagram, no more.
        guard gateway.admit(MQTTSNPeer(address: address), now: clock.now) else { return }
        let packet: MQTTSNPacket
        do {
            packet = try MQTTSNPacket.decode(envelope.data)
        } catch {
            gateway.malformed(from: MQTTSNPeer(address: address))
            logger.trace("malformed datagram", metadata: ["peer": "\(MQTTSNPeer(address: address))", "error": "\(error)"])
            return
        }
        // MQTT-SN v1.2 §5.5: the forwarder's header names the wireless node; the
        // gateway sees the client behind it, and replies go back through it.
        if case let .encapsulated(encapsulation) = packet {
            let peer = MQTTSNPeer(address: address, wirelessNodeID: encapsulation.wirelessNodeID)
            gateway.receive(encapsulation.message, from: peer, now: clock.now, actions: &actions)
        } else {
            gateway.receive(packet, from: MQTTSNPeer(address: address), now: clock.now, actions: &actions)
        }
        carryOutActions()
    }

    /// A message from the uplink's subscriptions.
    func downlink(_ message: Message) {
        guard !isStopping else { return }
        gateway.downlink(message, now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
    }

    /// A new configuration's live settings (reload); returns what changed.
    func reconfigure(_ configuration: MQTTSNGatewayConfiguration) -> [Gateway.LiveSetting] {
        guard !isStopping else { return [] }
        let changed = gateway.reconfigure(configuration, now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
        return changed
    }

    /// The broker's answer to a publish a client waits on.
    func publishCompleted(_ receipt: UpstreamReceipt, returnCode: MQTTSNReturnCode) {
        if isCarryingOut {
            eventLoop.assumeIsolated().execute { self.publishCompleted(receipt, returnCode: returnCode) }
            return
        }
        gateway.upstreamPublishCompleted(receipt, returnCode: returnCode, now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
    }

    /// The broker's answer to an upstream SUBSCRIBE: the SUBACKs held for it.
    func subscriptionSettled(_ filter: String, accepted: Bool) {
        guard !isStopping else { return }
        if isCarryingOut {
            eventLoop.assumeIsolated().execute { self.subscriptionSettled(filter, accepted: accepted) }
            return
        }
        gateway.upstreamSubscriptionSettled(filter, accepted: accepted, now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
    }

    /// After a batch of events: flush what was written, and move the one timer
    /// to the gateway's next deadline.
    func endOfEvents() {
        flushListeners()
        rescheduleTimer()
    }

    /// The counters for the status document.
    var statistics: MQTTSNGatewayStatistics { gateway.statistics }

    /// Graceful stop, first half: read nothing more and drop the timer. What was
    /// written is flushed; the record writer then flushes what it holds.
    func stopReading() -> EventLoopFuture<Void> {
        isStopping = true
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        flushListeners()
        let stopped = listeners.map { $0.channel.setOption(ChannelOptions.autoRead, value: false) }
        return EventLoopFuture.andAllComplete(stopped, on: eventLoop)
    }

    private func flushListeners() {
        for index in listeners.indices where listeners[index].needsFlush {
            listeners[index].needsFlush = false
            listeners[index].channel.flush()
        }
    }
}

extension GatewayEngine {
    /// Graceful stop, second half: the records gathered so far, on disk.
    func flushRecords() -> EventLoopFuture<Void> {
        records?.flush() ?? eventLoop.makeSucceededVoidFuture()
    }
}
