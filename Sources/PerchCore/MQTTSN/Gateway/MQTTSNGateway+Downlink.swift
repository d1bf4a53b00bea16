import MQTTCodec
import MQTTSNCodec

/// Gateway → client delivery (MQTT-SN v1.2 §6.10): one queue per client, at most
/// one REGISTER or QoS 1/2 PUBLISH in flight, retransmitted with DUP (§6.13).
extension MQTTSNGateway {
    /// A message from the uplink (its topic with the mountpoint): queued for every
    /// client whose subscriptions match, delivered at once to active ones, held for
    /// sleeping ones (§6.14), not delivered to disconnected or lost ones.
    public mutating func downlink(_ message: Message, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {
        let deliveries = subscriptions.deliveries(for: message)
        guard !deliveries.isEmpty else { return }
        // Queued, maybe for long (a sleeping client's buffer): the payload must not
        // pin the uplink's read buffer it was decoded from. One copy for all clients.
        let payload = message.payload.detachedFromReadBuffer()
        for delivery in deliveries {
            guard let index = indexByClientID[delivery.subscriber] else { continue }
            let state = sessions[index].state
            guard state.isLive else { continue }
            enqueue(MQTTSNOutboundMessage(localTopic: delivery.localTopic, payload: payload, qos: delivery.qos, retain: message.retain), at: index)
            if state == .active || state == .awake { pump(index, now: now, &actions) }
        }
    }

    /// Appends to the client's queue, dropping the oldest message when it holds
    /// `sleepingBuffer` already. An active client's queue holds at least one, so
    /// that a buffer of 0 still lets awake clients receive; an asleep one then holds none.
    mutating func enqueue(_ message: MQTTSNOutboundMessage, at index: Int) {
        let limit = sessions[index].state == .asleep ? configuration.sleepingBuffer : max(configuration.sleepingBuffer, 1)
        guard limit > 0 else {
            statistics.dropped &+= 1
            return
        }
        while sessions[index].queue.count >= limit {
            // The head may be waiting for its REGACK; the REGACK then finds another
            // head, which `pump` resolves afresh.
            sessions[index].queue.removeFirst()
            statistics.dropped &+= 1
        }
        sessions[index].queue.append(message)
    }

    /// Sends from the head of the queue while nothing is in flight, no SUBACK
    /// is held for the broker and the head is not the echo of a PUBLISH whose
    /// PUBACK the client still waits for: QoS 0 messages
    /// go straight out; a message on a topic the client has no id for waits behind
    /// a REGISTER (§6.10); a QoS 1/2 message waits for its acknowledgement. A
    /// waking client whose queue is drained gets its PINGRESP and sleeps again (§6.14).
    mutating func pump(_ index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let state = sessions[index].state
        guard state == .active || state == .awake else { return }
        while sessions[index].inFlight == nil, sessions[index].heldSubAcks == 0, let head = sessions[index].queue.first {
            // Issue 20 item 6: the client's PUBACK (PUBREC at QoS 2) comes before
            // the broker's echo of that PUBLISH to it. The echo can reach the
            // gateway first (Mosquitto sends it before its PUBACK, and the two
            // travel through different tasks), so a message on a topic the client
            // is still waiting to hear about waits, and everything behind it
            // (per-client order).
            if !sessions[index].awaitingUpstream.isEmpty, isAwaitingUpstream(head.localTopic, at: index) { break }
            let topic: MQTTSNTopic
            switch downlinkTopic(for: head.localTopic, at: index) {
            case .ready(let ready):
                topic = ready
            case .needsRegister(let id):
                let messageID = sessions[index].nextMessageID()
                sessions[index].inFlight = MQTTSNInFlight(stage: .register(topicID: id, topicName: head.localTopic), messageID: messageID, retries: 0)
                sessions[index].retryDeadline = retryDeadline(after: now)
                send(.register(MQTTSNRegister(topicID: id, messageID: messageID, topicName: head.localTopic)), to: sessions[index].peer, &actions)
                continue
            case .refused:
                sessions[index].queue.removeFirst()
                statistics.dropped &+= 1
                continue
            }
            sessions[index].queue.removeFirst()
            let qos: MQTTSNQoS
            switch head.qos {
            case .atMostOnce: qos = .atMostOnce
            case .atLeastOnce: qos = .atLeastOnce
            case .exactlyOnce: qos = .exactlyOnce
            }
            let messageID = qos == .atMostOnce ? 0 : sessions[index].nextMessageID()
            let publish = MQTTSNPublish(qos: qos, retain: head.retain, topic: topic, messageID: messageID, payload: head.payload)
            send(.publish(publish), to: sessions[index].peer, &actions)
            if qos != .atMostOnce {
                sessions[index].inFlight = MQTTSNInFlight(stage: .publish(publish), messageID: messageID, retries: 0)
                sessions[index].retryDeadline = retryDeadline(after: now)
            }
        }
        if state == .awake, sessions[index].inFlight == nil, sessions[index].queue.isEmpty {
            // §6.14: everything held was delivered; PINGRESP sends the client back to sleep.
            send(.pingResponse, to: sessions[index].peer, &actions)
            setState(index, .asleep)
            sessions[index].retryDeadline = nil
        }
        schedule(index)
    }

    /// Whether a QoS 1/2 PUBLISH of the client on `localTopic` still waits for
    /// the uplink's answer. Asked only while one waits: it costs a concatenation.
    func isAwaitingUpstream(_ localTopic: String, at index: Int) -> Bool {
        let upstreamTopic = sessions[index].mountpoint.upstreamTopic(for: localTopic)
        return sessions[index].awaitingUpstream.values.contains { $0.upstreamTopic == upstreamTopic }
    }

    /// How the client is to be told the topic of a downlink message.
    enum DownlinkTopic {
        case ready(MQTTSNTopic)
        case needsRegister(UInt16)
        case refused
    }

    /// The topic field for `localTopic`: the id or short name of the client's
    /// subscription to exactly that topic; else a predefined id (§6.7, no REGISTER
    /// needed); else the client's normal id, registered first when it has none (§6.10).
    mutating func downlinkTopic(for localTopic: String, at index: Int) -> DownlinkTopic {
        if let exact = sessions[index].subscriptions[localTopic]?.downlinkTopic {
            if case .normal(let id) = exact, !sessions[index].registry.isUsable(id: id) {
                return .needsRegister(id)
            }
            return .ready(exact)
        }
        if let id = configuration.predefinedTopics.idsByName[localTopic] { return .ready(.predefined(id)) }
        switch sessions[index].registry.registrationForDownlink(localTopic) {
        case .success(let registration):
            let isUsable = sessions[index].registry.isUsable(id: registration.id)
            return isUsable ? .ready(.normal(registration.id)) : .needsRegister(registration.id)
        case .failure:
            return .refused
        }
    }
}
