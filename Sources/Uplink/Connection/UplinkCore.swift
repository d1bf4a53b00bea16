import Logging
import MQTTCodec
import NIOCore
import PerchCore

/// The uplink's mutable heart, confined to one event loop: the state machine,
/// the callers' promises, the current connection's handler and the timer.
///
/// Everything here runs on `eventLoop` (the one the connections use), so the
/// channel handler calls in synchronously and no lock is taken per message.
/// It carries out the state machine's actions and decides nothing else.
final class UplinkCore {
    /// The promise behind a `RequestID`.
    enum Waiter {
        case publish(EventLoopPromise<Void>)
        case subscribe(EventLoopPromise<MQTTQoS>)
        case unsubscribe(EventLoopPromise<Void>)
    }

    /// How one connection ended, for the back-off.
    struct ConnectionOutcome: Sendable {
        /// How long the connection was up after CONNACK; nil if it never was.
        var connectedFor: TimeAmount?
    }

    let eventLoop: any EventLoop
    let logger: Logger
    let statusBoard: StatusBoard
    let downlink: AsyncStream<Message>.Continuation
    let version: MQTTProtocolVersion
    let brokerDescription: String

    var machine: UplinkStateMachine
    var waiters: [RequestID: Waiter] = [:]

    /// The spool's receiver of link changes (`UpstreamTransport`).
    var linkHandler: ((Bool) -> Void)?
    /// The spool's receiver of ticket outcomes (`UpstreamTransport`).
    var transmissionHandler: ((UpstreamTicket, UpstreamTransmissionOutcome) -> Void)?
    /// Ticket outcomes not yet handed to `transmissionHandler`: they go out
    /// once the actions being performed are all carried out, so that a handler
    /// that transmits again from inside the call cannot put its packet on the
    /// wire ahead of packets of the same batch (order is the contract).
    var reports: [(UpstreamTicket, UpstreamTransmissionOutcome)] = []
    /// How deep `perform` calls are nested right now.
    var performDepth = 0
    /// True while `reports` is being handed out.
    var isReporting = false

    var handler: UplinkChannelHandler?
    var isFlushScheduled = false
    var closeReason: UplinkError?
    var connectedAt: NIODeadline?
    var lastOutcome = ConnectionOutcome()
    var hasEverConnected = false
    /// What the last connection gave up, so that the log says it once, not at every reconnect.
    var lastDegradations: [String] = []

    var timer: Scheduled<Void>?
    var timerDeadline: NIODeadline?
    var backoffWake: EventLoopPromise<Void>?
    var backoffTimer: Scheduled<Void>?
    /// The last write that must reach the socket before a close (a DISCONNECT).
    var lastWrite: EventLoopFuture<Void>?

    init(
        settings: UplinkStateMachine.Settings,
        brokerDescription: String,
        eventLoop: any EventLoop,
        statusBoard: StatusBoard,
        downlink: AsyncStream<Message>.Continuation,
        logger: Logger
    ) {
        self.machine = UplinkStateMachine(settings: settings)
        self.version = settings.version
        self.brokerDescription = brokerDescription
        self.eventLoop = eventLoop
        self.statusBoard = statusBoard
        self.downlink = downlink
        self.logger = logger
    }

    var isStopped: Bool { machine.isStopped }

    // MARK: Requests from callers

    /// Queues `message`; `promise` (with `request`) completes when the broker
    /// has it, or is absent for a sender that waits for nothing.
    func publish(_ message: Message, request: RequestID?, promise: EventLoopPromise<Void>?) {
        let packet = PublishPacket(message, version: version)
        let size: Int
        do {
            size = try Self.encodedSize(of: packet, version: version)
        } catch {
            let failure = UplinkError.invalidMessage("\"\(message.topic)\": \(error)")
            if let promise {
                promise.fail(failure)
            } else {
                logger.warning("dropping a message the broker could not take: \(failure)")
            }
            return
        }
        if let request, let promise { waiters[request] = .publish(promise) }
        perform(machine.publish(packet, encodedSize: size, request: request.map(Completion.request), now: eventLoop.now))
    }

    /// Queues `message` for the spool; its outcome goes to the transmission
    /// handler with `ticket`. A message the encoder refuses is reported
    /// `.refused` synchronously, from inside this call (the contract allows
    /// re-entry), unless a report is already being handed out, in which case it
    /// follows that one.
    func transmit(_ message: Message, ticket: UpstreamTicket) {
        let packet = PublishPacket(message, version: version)
        let size: Int
        do {
            size = try Self.encodedSize(of: packet, version: version)
        } catch {
            report(ticket, .refused(UplinkError.invalidMessage("\"\(message.topic)\": \(error)").description))
            handOutReports()
            return
        }
        perform(machine.publish(packet, encodedSize: size, request: .ticket(ticket), now: eventLoop.now))
    }

    /// Whether `message` is known to be too large for the broker now. Cheap
    /// when no limit is known (the common case): nothing is measured then.
    /// On MQTT 5 it is measured with a Message Expiry Interval, which a
    /// message that waits in the spool gets when it is finally sent.
    func refusal(of message: Message) -> MessageRefusal? {
        guard let maximum = machine.knownMaximumPacketSize else { return nil }
        // Most messages are far below the limit: an upper bound on the PUBLISH
        // (fixed header with a 4-byte Remaining Length, topic, packet id,
        // properties with expiry and content type, payload) settles them
        // without encoding; only one near the limit is measured exactly.
        let properties = version == .v5 ? 4 + 5 + (message.contentType.map { 3 + $0.utf8.count } ?? 0) : 0
        let bound = 5 + 2 + message.topic.utf8.count + 2 + properties + message.payload.readableBytes
        if bound <= maximum { return nil }
        var measured = message
        if version == .v5, measured.expiry == nil { measured.expiry = .seconds(1) }
        guard let size = try? Self.encodedSize(of: PublishPacket(measured, version: version), version: version) else {
            return nil  // the encoder's own refusal comes with `transmit`
        }
        return size > maximum ? .tooLarge(topic: message.topic, size: size, maximum: maximum) : nil
    }

    /// The encoded size of `packet`, to compare with the broker's Maximum
    /// Packet Size. The encoder's own checks (topic name rules of MQTT 5.0
    /// §4.7, string lengths, properties) refuse a bad message here, before it
    /// is queued.
    private static func encodedSize(of packet: PublishPacket, version: MQTTProtocolVersion) throws -> Int {
        // A stand-in id: QoS 1/2 packets need one to encode, and all ids are 2 bytes.
        var probe = packet
        probe.packetID = packet.qos == .atMostOnce ? nil : 1
        return try MQTTPacket.publish(probe).encodedSize(version: version)
    }

    func subscribe(_ filter: String, qos: MQTTQoS, request: RequestID, promise: EventLoopPromise<MQTTQoS>) {
        do {
            _ = try TopicFilter(filter)
        } catch {
            promise.fail(UplinkError.invalidMessage("\"\(filter)\" is not a valid topic filter: \(error) (MQTT 5.0 §4.7.1)"))
            return
        }
        waiters[request] = .subscribe(promise)
        perform(machine.subscribe(filter, qos: qos, request: request, now: eventLoop.now))
    }

    func unsubscribe(_ filter: String, request: RequestID, promise: EventLoopPromise<Void>) {
        waiters[request] = .unsubscribe(promise)
        perform(machine.unsubscribe(filter, request: request, now: eventLoop.now))
    }

    /// The caller's task was cancelled: it stops waiting. A publish not yet
    /// sent is dropped; anything already on the wire runs its course.
    func cancel(_ request: RequestID) {
        guard let waiter = waiters.removeValue(forKey: request) else { return }
        _ = machine.cancelPublish(request)
        switch waiter {
        case .publish(let promise), .unsubscribe(let promise):
            promise.fail(CancellationError())
        case .subscribe(let promise):
            promise.fail(CancellationError())
        }
    }

    // MARK: Lifecycle

    /// Graceful shutdown: stop taking requests and reconnecting; DISCONNECT
    /// once the messages in flight are acknowledged (or the drain times out).
    func shutdown() {
        guard !machine.isStopped else { return }
        logger.info("uplink shutting down")
        perform(machine.shutdown(now: eventLoop.now))
        backoffTimer?.cancel()
        backoffWake?.succeed()
        backoffWake = nil
    }

    /// The connect loop has ended: close the streams.
    func finish() {
        statusBoard.update { $0.isConnected = false }
        statusBoard.finish()
        downlink.finish()
    }

    /// Completes after `delay`, or at once when the uplink shuts down.
    func waitBeforeReconnect(_ delay: TimeAmount) -> EventLoopFuture<Void> {
        guard !machine.isStopped else { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        backoffWake = promise
        backoffTimer = eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            backoffWake?.succeed()
            backoffWake = nil
        }
        return promise.futureResult
    }

    /// A connection attempt failed before the transport came up.
    func attemptFailed(_ error: UplinkError) {
        lastOutcome = ConnectionOutcome()
        guard !machine.isStopped else { return }
        logger.warning("uplink connection attempt failed", metadata: ["error": "\(error)"])
        statusBoard.update {
            $0.isConnected = false
            $0.lastError = error.description
        }
    }

    /// How the last connection ended.
    func takeOutcome() -> ConnectionOutcome {
        defer { lastOutcome = ConnectionOutcome() }
        return lastOutcome
    }
}
