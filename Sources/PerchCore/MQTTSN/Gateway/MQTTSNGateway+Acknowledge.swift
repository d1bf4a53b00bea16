import MQTTSNCodec

/// The client's answers to the gateway's QoS 1/2 PUBLISH (MQTT-SN v1.2 §6.10)
/// and the retransmissions when they do not come (§6.13).
extension MQTTSNGateway {
    /// PUBACK: completes a QoS 1 delivery. A rejection ends the delivery too:
    /// sending the same PUBLISH again would be refused again.
    mutating func publishAcknowledged(_ ack: MQTTSNTopicAck, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let inFlight = sessions[index].inFlight, inFlight.messageID == ack.messageID,
            case .publish = inFlight.stage
        else {
            rejectInvalid(.pubAck(ack), from: sessions[index].peer)
            return
        }
        if !ack.returnCode.isAccepted { statistics.dropped &+= 1 }
        complete(index, now: now, &actions)
    }

    /// PUBREC: the client has a QoS 2 PUBLISH; the gateway releases it with PUBREL.
    mutating func publishReceived(_ messageID: UInt16, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let inFlight = sessions[index].inFlight, inFlight.messageID == messageID else {
            rejectInvalid(.pubRec(messageID: messageID), from: sessions[index].peer)
            return
        }
        let isQoS2: Bool
        switch inFlight.stage {
        case .publish(let publish): isQoS2 = publish.qos == .exactlyOnce
        // A repeated PUBREC (our PUBREL was lost) is answered with PUBREL again.
        case .release: isQoS2 = true
        case .register: isQoS2 = false
        }
        guard isQoS2 else {
            rejectInvalid(.pubRec(messageID: messageID), from: sessions[index].peer)
            return
        }
        sessions[index].inFlight = MQTTSNInFlight(stage: .release, messageID: messageID, retries: 0)
        sessions[index].retryDeadline = retryDeadline(after: now)
        send(.pubRel(messageID: messageID), to: sessions[index].peer, &actions)
        schedule(index)
    }

    /// PUBCOMP: completes a QoS 2 delivery.
    mutating func publishCompleted(_ messageID: UInt16, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let inFlight = sessions[index].inFlight, inFlight.messageID == messageID, inFlight.stage == .release else {
            rejectInvalid(.pubComp(messageID: messageID), from: sessions[index].peer)
            return
        }
        complete(index, now: now, &actions)
    }

    /// The exchange in flight is over: on to the next queued message.
    private mutating func complete(_ index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        sessions[index].inFlight = nil
        sessions[index].retryDeadline = nil
        pump(index, now: now, &actions)
    }

    /// Tretry passed without an answer (§6.13): send the REGISTER, PUBLISH (with
    /// DUP) or PUBREL again, or give the client up as lost after Nretry retransmissions.
    /// May close the session, so indexes are invalid afterwards.
    mutating func retransmit(_ index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard var inFlight = sessions[index].inFlight else {
            sessions[index].retryDeadline = nil
            return
        }
        guard inFlight.retries < configuration.retryCount else {
            close(index, .lost, &actions)
            return
        }
        inFlight.retries += 1
        sessions[index].inFlight = inFlight
        sessions[index].retryDeadline = retryDeadline(after: now)
        resend(inFlight, at: index, &actions)
        let peer = sessions[index].peer
        if let tail = refusalLine(about: peer, now: now) {
            logger.debug("MQTT-SN: no answer from \(describe(peer)) within retry.interval: \(inFlight.stage.packetName) MsgId \(inFlight.messageID) sent again (\(inFlight.retries) of \(configuration.retryCount), §6.13)\(tail)")
        }
    }

    /// Sends the exchange in flight again; a PUBLISH carries DUP (§5.3.4).
    mutating func resend(_ inFlight: MQTTSNInFlight, at index: Int, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let peer = sessions[index].peer
        switch inFlight.stage {
        case .register(let topicID, let topicName):
            send(.register(MQTTSNRegister(topicID: topicID, messageID: inFlight.messageID, topicName: topicName)), to: peer, &actions)
        case .publish(var publish):
            publish.dup = true
            send(.publish(publish), to: peer, &actions)
        case .release:
            send(.pubRel(messageID: inFlight.messageID), to: peer, &actions)
        }
    }
}

extension MQTTSNInFlight.Stage {
    /// The packet this stage sends, as the specification names it.
    var packetName: String {
        switch self {
        case .register: return "REGISTER"
        case .publish: return "PUBLISH"
        case .release: return "PUBREL"
        }
    }
}
