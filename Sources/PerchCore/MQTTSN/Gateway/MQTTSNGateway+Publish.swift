import MQTTCodec
import MQTTSNCodec

/// Client → gateway PUBLISH at QoS -1, 0, 1 and 2 (MQTT-SN v1.2 §6.6, §6.8), and
/// the uplink's answer that releases the PUBACK or PUBREC (SPEC §5).
extension MQTTSNGateway {
    /// A PUBLISH from a connected client.
    mutating func publish(_ publish: MQTTSNPublish, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let peer = sessions[index].peer
        let topic: String
        switch resolveUpstreamTopic(publish.topic, at: index) {
        case .success(let resolved): topic = resolved
        case .failure(let error):
            // §6.5: an unknown id is answered "invalid topic ID", at any QoS, so the
            // client registers again.
            send(.pubAck(MQTTSNTopicAck(topicID: publish.topic.field, messageID: publish.messageID, returnCode: error.returnCode)), to: peer, now: now, &actions)
            return
        }
        switch publish.qos {
        case .atMostOnce, .minusOne:
            actions.append(.publish(Message(topic: topic, payload: publish.payload, qos: .atMostOnce, retain: publish.retain), receipt: nil))
        case .atLeastOnce, .exactlyOnce:
            let messageID = publish.messageID
            if publish.qos == .exactlyOnce, sessions[index].receivedQoS2.contains(messageID) {
                // §6.6: the PUBREC was lost; answer again, do not forward twice.
                send(.pubRec(messageID: messageID), to: peer, &actions)
                return
            }
            // A retransmission while the uplink's answer is awaited: that answer
            // will serve both.
            guard sessions[index].awaitingUpstream[messageID] == nil else { return }
            let qos: MQTTQoS = publish.qos == .atLeastOnce ? .atLeastOnce : .exactlyOnce
            sessions[index].awaitingUpstream[messageID] = MQTTSNInboundPublish(qos: qos.rawValue, topicField: publish.topic.field, upstreamTopic: topic)
            let receipt = UpstreamReceipt(
                clientID: sessions[index].clientID, messageID: messageID, generation: sessions[index].connection)
            actions.append(.publish(Message(topic: topic, payload: publish.payload, qos: qos, retain: publish.retain), receipt: receipt))
        }
    }

    /// A QoS -1 PUBLISH (§6.8): from any address, no connection needed, and only
    /// with a predefined id or a short name. A connected client's QoS -1 PUBLISH
    /// is handled the same way.
    ///
    /// With a `${clientid}` mountpoint an unknown address has no client id, so its
    /// message has no place upstream: dropped and counted as invalid. So is one
    /// from an unknown address when `allow_clients` is set: an allow-list admits
    /// client ids, and a connectionless sender has none to show. Every QoS -1
    /// message that does not go upstream is counted as invalid and logged.
    mutating func publishWithoutConnection(_ publish: MQTTSNPublish, from peer: Peer, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let mountpoint: Mountpoint
        if let index = indexByPeer[peer] {
            mountpoint = sessions[index].mountpoint
        } else if configuration.mountpoint.isPerClient {
            dropQoSMinusOne(publish, from: peer, now: now, because: "the mountpoint holds ${clientid} and the sender has no session")
            return
        } else if !configuration.allowedClients.isEmpty {
            dropQoSMinusOne(publish, from: peer, now: now, because: "mqttsn.allow_clients is set and the sender has no session")
            return
        } else {
            mountpoint = configuration.mountpoint
        }
        let topic: String
        switch publish.topic {
        case .normal:
            // §6.8: a normal id means nothing without a connection.
            dropQoSMinusOne(publish, from: peer, now: now, because: "a normal topic id needs a connection (§6.8)")
            return
        case .predefined(let id):
            guard let resolved = predefinedUpstreamTopic(id, mountpoint: mountpoint) else {
                // §6.5: the sender is told its id is unknown, as at every QoS.
                dropQoSMinusOne(publish, from: peer, now: now, because: "the predefined topic id is not in mqttsn.predefined_topics")
                send(.pubAck(MQTTSNTopicAck(topicID: id, messageID: publish.messageID, returnCode: .rejectedInvalidTopicID)), to: peer, &actions)
                return
            }
            topic = resolved
        case .shortName(let shortName):
            guard let resolved = shortUpstreamTopic(shortName, mountpoint: mountpoint) else {
                dropQoSMinusOne(publish, from: peer, now: now, because: "the short name is not a topic name")
                return
            }
            topic = resolved
        }
        actions.append(.publish(Message(topic: topic, payload: publish.payload, qos: .atMostOnce, retain: publish.retain), receipt: nil))
    }

    /// A QoS -1 PUBLISH that goes nowhere: counted as invalid, and one `debug` line.
    private mutating func dropQoSMinusOne(_ publish: MQTTSNPublish, from peer: Peer, now: Instant, because reason: String) {
        rejectInvalid(.publish(publish), from: peer)
        guard let tail = refusalLine(about: peer, now: now) else { return }
        logger.debug("MQTT-SN: QoS -1 PUBLISH from \(describe(peer)) on \(MQTTSNTopicText.describe(publish.topic)) dropped: \(reason)\(tail)")
    }

    /// The upstream topic (mountpoint included) of a PUBLISH's topic field.
    /// Normal and predefined ids cost a dictionary lookup and no allocation.
    func resolveUpstreamTopic(_ topic: MQTTSNTopic, at index: Int) -> Result<String, TopicRegistryError> {
        switch topic {
        case .normal(let id):
            guard let resolved = sessions[index].upstreamTopics[id] else { return .failure(.invalidTopicID) }
            return .success(resolved)
        case .predefined(let id):
            guard let resolved = predefinedUpstreamTopic(id, mountpoint: sessions[index].mountpoint) else { return .failure(.invalidTopicID) }
            return .success(resolved)
        case .shortName(let shortName):
            guard let resolved = shortUpstreamTopic(shortName, mountpoint: sessions[index].mountpoint) else { return .failure(.notSupported) }
            return .success(resolved)
        }
    }

    /// The upstream topic of a short name (§6.7), `nil` when the two octets are not a topic name.
    func shortUpstreamTopic(_ shortName: MQTTSNShortTopicName, mountpoint: Mountpoint) -> String? {
        guard let name = shortName.topicName, (try? TopicName.validate(name)) != nil else { return nil }
        return mountpoint.upstreamTopic(for: name)
    }

    /// The upstream topic of a predefined id (§2.4) under `mountpoint`: from the
    /// table built at start unless the mountpoint is the client's own.
    func predefinedUpstreamTopic(_ id: UInt16, mountpoint: Mountpoint) -> String? {
        guard configuration.mountpoint.isPerClient else { return predefinedUpstreamTopics[id] }
        return configuration.predefinedTopics.namesByID[id].map { mountpoint.upstreamTopic(for: $0) }
    }

    /// PUBREL (§6.6): completes a QoS 2 PUBLISH; one for an unknown MsgId is
    /// answered too, since the PUBCOMP may be what was lost.
    mutating func release(_ messageID: UInt16, at index: Int, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        sessions[index].receivedQoS2.remove(messageID)
        send(.pubComp(messageID: messageID), to: sessions[index].peer, &actions)
    }

    /// The uplink's answer to a `.publish` that carried `receipt`: releases the
    /// client's PUBACK (QoS 1) or PUBREC (QoS 2), or answers "rejected:
    /// congestion" when the uplink refused the message (SPEC §5). An answer for a
    /// client that reconnected since, or is gone, is dropped.
    public mutating func upstreamPublishCompleted(
        _ receipt: UpstreamReceipt, accepted: Bool, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]
    ) {
        upstreamPublishCompleted(receipt, returnCode: accepted ? .accepted : .rejectedCongestion, now: now, actions: &actions)
    }

    /// The uplink's answer to a `.publish` that carried `receipt`, as the
    /// return code the client hears: `.accepted` releases its PUBACK (QoS 1)
    /// or PUBREC (QoS 2); "rejected: congestion" says try again later, "not
    /// supported" that the message can never be delivered (too large for the
    /// broker: SPEC §5). An answer for a client that reconnected since, or is
    /// gone, is dropped.
    public mutating func upstreamPublishCompleted(
        _ receipt: UpstreamReceipt, returnCode: MQTTSNReturnCode, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]
    ) {
        guard let index = indexByClientID[receipt.clientID],
            sessions[index].connection == receipt.generation,
            let pending = sessions[index].awaitingUpstream.removeValue(forKey: receipt.messageID)
        else { return }
        let peer = sessions[index].peer
        if returnCode != .accepted {
            let ack = MQTTSNTopicAck(topicID: pending.topicField, messageID: receipt.messageID, returnCode: returnCode)
            send(.pubAck(ack), to: peer, now: now, &actions)
        } else if pending.qos == 2 {
            sessions[index].receivedQoS2.insert(receipt.messageID)
            send(.pubRec(messageID: receipt.messageID), to: peer, &actions)
        } else {
            send(.pubAck(MQTTSNTopicAck(topicID: pending.topicField, messageID: receipt.messageID)), to: peer, &actions)
        }
        // Downlink held behind this answer (the broker's echo of the message) goes now.
        if !sessions[index].queue.isEmpty { pump(index, now: now, &actions) }
    }
}

extension MQTTSNTopic {
    /// The TopicId field as it sits on the wire, for a PUBACK (§5.4.13).
    var field: UInt16 {
        switch self {
        case .normal(let id), .predefined(let id): return id
        case .shortName(let shortName): return shortName.rawValue
        }
    }
}
