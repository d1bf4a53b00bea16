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
    private enum Waiter {
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
    private let logger: Logger
    private let statusBoard: StatusBoard
    private let downlink: AsyncStream<Message>.Continuation
    private let version: MQTTProtocolVersion
    private let brokerDescription: String

    private var machine: UplinkStateMachine
    private var waiters: [RequestID: Waiter] = [:]

    private var handler: UplinkChannelHandler?
    private var isFlushScheduled = false
    private var closeReason: UplinkError?
    private var connectedAt: NIODeadline?
    private var lastOutcome = ConnectionOutcome()
    private var hasEverConnected = false

    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var backoffWake: EventLoopPromise<Void>?
    private var backoffTimer: Scheduled<Void>?

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

    func publish(_ message: Message, request: RequestID, promise: EventLoopPromise<Void>) {
        guard TopicValidation.isValidTopicName(message.topic) else {
            promise.fail(UplinkError.invalidMessage("\"\(message.topic)\" is not a valid topic name (MQTT 5.0 §4.7)"))
            return
        }
        let packet = PublishPacket(message, version: version)
        let size: Int
        do {
            // A stand-in id: QoS 1/2 packets need one to encode, and all ids are 2 bytes.
            var probe = packet
            probe.packetID = packet.qos == .atMostOnce ? nil : 1
            size = try MQTTPacket.publish(probe).encodedSize(version: version)
        } catch {
            promise.fail(UplinkError.invalidMessage("\(error)"))
            return
        }
        waiters[request] = .publish(promise)
        perform(machine.publish(packet, encodedSize: size, request: request, now: eventLoop.now))
    }

    func subscribe(_ filter: String, qos: MQTTQoS, request: RequestID, promise: EventLoopPromise<MQTTQoS>) {
        guard TopicValidation.isValidTopicFilter(filter) else {
            promise.fail(UplinkError.invalidMessage("\"\(filter)\" is not a valid topic filter (MQTT 5.0 §4.7.1)"))
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

    /// Graceful shutdown: fail waiting callers, DISCONNECT, stop reconnecting.
    func shutdown() {
        guard !machine.isStopped else { return }
        logger.info("uplink shutting down")
        perform(machine.shutdown())
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

    // MARK: Events from the channel handler

    func connectionOpened(handler: UplinkChannelHandler) {
        // Happy eyeballs may connect a second channel in a race; one connection only.
        guard self.handler == nil else {
            handler.close()
            return
        }
        self.handler = handler
        closeReason = nil
        connectedAt = nil
        perform(machine.connectionOpened(now: eventLoop.now))
    }

    func received(_ packet: MQTTPacket, from handler: UplinkChannelHandler) {
        guard handler === self.handler else { return }
        perform(machine.received(packet, now: eventLoop.now))
    }

    func connectionFailed(_ error: any Error, on handler: UplinkChannelHandler) {
        guard handler === self.handler, closeReason == nil else { return }
        closeReason = UplinkError.translating(error, endpoint: machine.settings.endpoint)
    }

    func connectionClosed(_ handler: UplinkChannelHandler) {
        guard handler === self.handler else { return }
        self.handler = nil
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        perform(machine.connectionClosed())
        let now = eventLoop.now
        lastOutcome = ConnectionOutcome(connectedFor: connectedAt.map { now - $0 })
        let stopping = machine.isStopped && closeReason == nil
        if connectedAt != nil {
            let reason = closeReason ?? (stopping ? nil : .connectionLost(detail: "closed by the broker"))
            if let reason {
                logger.warning("uplink connection lost", metadata: ["error": "\(reason)"])
            }
            statusBoard.update {
                $0.isConnected = false
                if let reason { $0.lastError = reason.description }
            }
        } else if !stopping {
            let reason = closeReason ?? .connectionLost(detail: "closed before CONNACK")
            attemptFailed(reason)
        }
        connectedAt = nil
        closeReason = nil
    }

    // MARK: Carrying out actions

    private func perform(_ actions: [UplinkAction]) {
        for (index, action) in actions.enumerated() {
            switch action {
            case .send(let packet, let request):
                let closesNext = index + 1 < actions.count && { if case .close = actions[index + 1] { return true } else { return false } }()
                send(packet, completing: request, needsPromise: closesNext)
            case .complete(let request, let outcome):
                complete(request, outcome)
            case .deliver(let message):
                downlink.yield(message)
            case .connected(let sessionPresent):
                didConnect(sessionPresent: sessionPresent)
            case .close(let error):
                close(because: error)
            case .warn(let text):
                logger.warning("\(text)")
            }
        }
        rescheduleTimer()
    }

    private var lastWrite: EventLoopFuture<Void>?

    private func send(_ packet: MQTTPacket, completing request: RequestID?, needsPromise: Bool) {
        guard let handler else {
            if let request { complete(request, .failed(.connectionLost(detail: "not connected"))) }
            return
        }
        let promise: EventLoopPromise<Void>? = request != nil || needsPromise ? eventLoop.makePromise() : nil
        handler.write(packet, promise: promise)
        if let promise {
            lastWrite = promise.futureResult
            if let request {
                // QoS 0: done once written. A write that fails with the connection
                // loses the message, which is what "at most once" allows.
                promise.futureResult.assumeIsolated().whenComplete { [self] _ in
                    complete(request, .published)
                }
            }
        }
        scheduleFlush()
    }

    /// One flush per event-loop turn, however many packets were written in it.
    private func scheduleFlush() {
        guard !isFlushScheduled else { return }
        isFlushScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            isFlushScheduled = false
            handler?.flush()
        }
    }

    private func close(because error: UplinkError?) {
        if closeReason == nil { closeReason = error }
        guard let handler else { return }
        handler.flush()
        // Close after the last write (a DISCONNECT) has reached the socket.
        if let lastWrite {
            self.lastWrite = nil
            lastWrite.assumeIsolated().whenComplete { _ in handler.close() }
        } else {
            handler.close()
        }
    }

    private func complete(_ request: RequestID, _ outcome: RequestOutcome) {
        guard let waiter = waiters.removeValue(forKey: request) else { return }
        switch (waiter, outcome) {
        case (.publish(let promise), .failed(let error)),
            (.unsubscribe(let promise), .failed(let error)):
            promise.fail(error)
        case (.subscribe(let promise), .failed(let error)):
            promise.fail(error)
        case (.subscribe(let promise), .subscribed(let qos)):
            promise.succeed(qos)
        case (.publish(let promise), _), (.unsubscribe(let promise), _):
            promise.succeed()
        case (.subscribe(let promise), _):
            promise.fail(UplinkError.protocolViolation("unexpected outcome \(outcome) of a subscription"))
        }
    }

    private func didConnect(sessionPresent: Bool) {
        connectedAt = eventLoop.now
        let isReconnect = hasEverConnected
        hasEverConnected = true
        logger.info(
            "uplink connected",
            metadata: ["broker": "\(brokerDescription)", "session_present": "\(sessionPresent)"]
        )
        statusBoard.update {
            $0.isConnected = true
            if isReconnect { $0.reconnects += 1 }
        }
    }

    // MARK: Timer

    /// Keeps one timer at the state machine's next deadline. Deadlines only move
    /// later with traffic, so an early timer just finds nothing to do and is
    /// set again; it is replaced only when a deadline comes earlier.
    private func rescheduleTimer() {
        guard let deadline = machine.nextDeadline else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            perform(machine.timerFired(now: eventLoop.now))
        }
    }
}
