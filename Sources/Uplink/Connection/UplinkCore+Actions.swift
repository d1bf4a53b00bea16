import Logging
import MQTTCodec
import NIOCore
import PerchCore

/// Carrying out the state machine's actions: writes, flushes, closes,
/// promises, status, and the one timer.
extension UplinkCore {
    /// Carries out `actions` in order, then sets the timer to the next deadline.
    func perform(_ actions: [UplinkAction]) {
        performDepth += 1
        defer {
            performDepth -= 1
            if performDepth == 0 { handOutReports() }
        }
        for (index, action) in actions.enumerated() {
            switch action {
            case .send(let packet, let request):
                // A close right after this write waits for it to reach the socket.
                var closesNext = false
                if index + 1 < actions.count, case .close = actions[index + 1] { closesNext = true }
                send(packet, completing: request, needsPromise: closesNext)
            case .complete(.request(let request), let outcome):
                complete(request, outcome)
            case .complete(.ticket(let ticket), let outcome):
                report(ticket, UpstreamTransmissionOutcome(outcome))
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

    private func send(_ packet: MQTTPacket, completing completion: Completion?, needsPromise: Bool) {
        guard let handler else {
            switch completion {
            case .request(let request): complete(request, .failed(.connectionLost(detail: "not connected")))
            case .ticket(let ticket): report(ticket, .interrupted)
            case nil: break
            }
            return
        }
        var request: RequestID?
        if case .request(let waiting) = completion { request = waiting }
        let promise: EventLoopPromise<Void>? = request != nil || needsPromise ? eventLoop.makePromise() : nil
        handler.write(packet, promise: promise)
        // QoS 0 for the spool: delivered once on a live connection, with no
        // write promise (the `UpstreamTransport` contract).
        if case .ticket(let ticket) = completion { report(ticket, .delivered) }
        if let promise {
            if needsPromise { lastWrite = promise.futureResult }
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

    /// Keeps a ticket's outcome for `handOutReports()`.
    func report(_ ticket: UpstreamTicket, _ outcome: UpstreamTransmissionOutcome) {
        guard transmissionHandler != nil else { return }
        reports.append((ticket, outcome))
    }

    /// Calls the transmission handler with every kept outcome, in order. A
    /// handler that transmits (or shuts down) from inside adds to `reports`,
    /// and the loop hands those out too, so nothing waits for a later event.
    func handOutReports() {
        guard !isReporting, performDepth == 0, let transmissionHandler, !reports.isEmpty else { return }
        isReporting = true
        var index = 0
        while index < reports.count {
            let (ticket, outcome) = reports[index]
            index += 1
            transmissionHandler(ticket, outcome)
        }
        reports.removeAll(keepingCapacity: true)
        isReporting = false
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
        case (.publish(let promise), .failed(.packetTooLarge(let topic, let size, let maximum))):
            // In PerchCore's words, so that a core caller (the status) can tell.
            promise.fail(MessageRefusal.tooLarge(topic: topic, size: size, maximum: maximum))
        case (.publish(let promise), .failed(let error)) where error.isPoisonMessage:
            promise.fail(MessageRefusal.refusedUpstream(error.description))
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
        let degradations = machine.degradations
        statusBoard.update {
            $0.isConnected = true
            if isReconnect { $0.reconnects += 1 }
            $0.degraded = degradations
        }
        if !degradations.isEmpty, degradations != lastDegradations {
            logger.warning(
                "the broker's limits make the uplink give up some guarantees",
                metadata: ["degraded": "\(degradations.joined(separator: ","))", "will": "\(UplinkStateMachine.describe(machine.limits.will))"]
            )
        }
        lastDegradations = degradations
        // After the actions of this CONNACK (the resent in-flight messages come
        // first, MQTT 5.0 §4.4), so that whatever the spool hands over in
        // answer goes out behind them; and only if the link is still up then.
        if let linkHandler {
            eventLoop.assumeIsolated().execute { [self] in
                if machine.isConnected { linkHandler(true) }
            }
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
