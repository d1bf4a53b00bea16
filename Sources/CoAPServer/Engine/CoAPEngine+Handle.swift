internal import CLibCoAP
import Dispatch
import NIOCore
import PerchCore

extension CoAPEngine {
    /// Answers one request on the unknown-path resource.
    ///
    /// Deferred answers use libcoap's async API, which 4.3.1 supports for
    /// exactly this: a confirmable PUT is registered with `coap_register_async`
    /// (delay 0: until triggered) and the handler returns without a response
    /// code, so libcoap sends an empty ACK at once (RFC 7252 §5.2.2, a separate
    /// response) and the sensor stops retransmitting. When the upstream's future
    /// completes, `publishSettled` triggers the entry and libcoap calls this
    /// handler again with a copy of the request; it finds the entry by token and
    /// answers 2.04 (2.02 for DELETE) or 5.03. libcoap sends that as a
    /// confirmable response, retransmitted until the sensor acknowledges it, and
    /// frees the entry after the call. Building and sending a separate response
    /// by hand would need the session kept alive and the token copied by us;
    /// the async entry does both.
    func handle(
        resource: OpaquePointer,
        session: OpaquePointer,
        request: OpaquePointer,
        query: UnsafePointer<coap_string_t>?,
        response: OpaquePointer
    ) {
        dispatchPrecondition(condition: .onQueue(queue))
        let token = coap_pdu_get_token(request)
        if let async = coap_find_async(session, token), pending.contains(async) {
            answerSettled(async, session: session, response: response)
            return
        }
        var parsed = Self.read(request, query: query, clientID: Self.clientID(of: session))
        if parsed.method == .put || parsed.method == .post, let block = Self.block1(of: request) {
            let key = Block1Assembler.Key(session: UInt(bitPattern: Int(bitPattern: session)), path: parsed.path)
            switch blocks.add(key, number: block.number, more: block.more, szx: block.szx, payload: parsed.payload, now: .now) {
            case .needMore:
                // libcoap echoes Block1 and sends a 2.xx here as 2.31 Continue (RFC 7959 §2.3).
                write(CoAPResponse(.changed), to: response)
                return
            case .complete(let body):
                parsed.payload = body
            case .incomplete:
                statistics.invalid += 1
                let answer = CoAPResponse(.requestEntityIncomplete, payload: Array("blocks out of order, or the first is missing".utf8))
                logRefusal(answer, session: session, request: parsed)
                write(answer, to: response)
                return
            case .tooLarge:
                let answer = CoAPResponse.refusal(.tooLarge(limit: router.maximumPayloadBytes))
                logRefusal(answer, session: session, request: parsed)
                write(answer, to: response)
                return
            }
        }
        if parsed.method == .get, let value = parsed.observe,
           observe(parsed, value: value, resource: resource, session: session, pdu: request) == .redispatched {
            return
        }
        statistics.requests += 1
        switch router.decide(parsed, lastValues: lastValues) {
        case let .respond(answer):
            if answer.code == .badRequest { statistics.invalid += 1 }
            logRefusal(answer, session: session, request: parsed)
            write(answer, to: response, large: (resource, session, request, query))
        case let .publish(message, confirmable: false, success):
            remember(published: message)
            upstream.send(message)
            write(CoAPResponse(success), to: response)
        case let .publish(message, confirmable: true, success):
            remember(published: message)
            publishDeferred(message, success: success, session: session, request: request, response: response)
        }
    }

    /// Hands a confirmable publish upstream and answers it later (see `handle`).
    private func publishDeferred(
        _ message: Message,
        success: CoAPResponse.Code,
        session: OpaquePointer,
        request: OpaquePointer,
        response: OpaquePointer
    ) {
        guard let async = coap_register_async(session, request, 0) else {
            // Same token still pending (a client reusing it too early), or no memory.
            write(unavailable("cannot defer the response"), to: response)
            return
        }
        let id = pending.add(async, success: success)
        statistics.pendingPublishes = pending.count
        let queue = self.queue
        upstream.enqueue(message).whenComplete { [self] result in
            queue.async { self.publishSettled(id, result) }
        }
        // No response code: libcoap sends an empty ACK for a confirmable request.
    }

    /// The upstream has answered publish `id`: re-invoke the handler for it.
    private func publishSettled(_ id: UInt64, _ outcome: Result<Void, any Error>) {
        dispatchPrecondition(condition: .onQueue(queue))
        if case let .failure(error) = outcome {
            logger.notice("CoAP publish refused upstream", metadata: ["error": "\(error)"])
        }
        guard context != nil, let async = pending.settle(id, with: outcome) else { return }
        coap_async_trigger(async)
        // libcoap runs triggered entries from coap_io_process; nothing on the fd
        // wakes it for this, so run a pass now.
        processIO()
    }

    private func answerSettled(_ async: OpaquePointer, session: OpaquePointer, response: OpaquePointer) {
        guard let (outcome, success) = pending.takeOutcome(for: async) else {
            // Triggered before the upstream answered: cannot happen (only
            // publishSettled triggers), and answering nothing keeps the entry.
            return
        }
        statistics.pendingPublishes = pending.count
        let answer: CoAPResponse
        switch outcome {
        case .success:
            answer = CoAPResponse(success)
        case .failure(MessageRefusal.tooLarge(_, let size, let maximum)):
            // RFC 7252 §5.9.2.9: for good, unlike 5.03 with Max-Age.
            let reason = "the message is \(size - maximum) bytes over the broker's limit of \(maximum) bytes per MQTT packet"
            answer = CoAPResponse(.requestEntityTooLarge, payload: Array(reason.utf8))
        case .failure(MessageRefusal.refusedUpstream(let reason)):
            // RFC 7252 §5.9.3.3: the upstream server refused what the gateway forwarded.
            answer = CoAPResponse(.badGateway, payload: Array(reason.utf8.prefix(120)))
        case .failure:
            answer = unavailable("upstream unavailable")
        }
        logRefusal(answer, session: session, request: nil)
        write(answer, to: response)
        // No coap_free_async here: libcoap 4.3.1 frees a triggered entry itself
        // when this handler returns (freeing it here crashed in coap_check_async).
    }

    /// What GET returns next: the message, or nothing once DELETE cleared it.
    ///
    /// Observers are not notified from here: a message a sensor publishes
    /// reaches them through the broker, like every other message on the
    /// topic (the uplink subscribes for them, without No Local), so each
    /// message is one notification, in the broker's order, and a message the
    /// broker refused notifies nobody. Before issue 20 observers were told
    /// here and again by the broker's copy.
    private func remember(published message: Message) {
        if message.retain, message.payload.readableBytes == 0 {
            lastValues.forget(message.topic)
        } else {
            lastValues.record(message)
        }
    }

    private func unavailable(_ reason: String) -> CoAPResponse {
        CoAPResponse(.serviceUnavailable, maxAge: configuration.retryAfterSeconds, payload: Array(reason.utf8))
    }
}
