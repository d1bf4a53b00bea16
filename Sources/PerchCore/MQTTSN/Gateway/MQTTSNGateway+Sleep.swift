import MQTTSNCodec

/// DISCONNECT (MQTT-SN v1.2 §6.12), PINGREQ (§6.11) and sleeping clients (§6.14).
extension MQTTSNGateway {
    /// DISCONNECT: without a duration the client leaves (no will, §6.12); with one
    /// it goes to sleep, supervised for 1.5 × the duration (§6.14). Both are
    /// answered with DISCONNECT.
    mutating func disconnect(_ duration: UInt16?, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        send(.disconnect(durationSeconds: nil), to: sessions[index].peer, &actions)
        guard let duration else {
            close(index, .disconnected, &actions)
            return
        }
        let wasAsleep = sessions[index].state.isSleeping
        sessions[index].sleepSeconds = duration
        setState(index, .asleep)
        // Nothing reaches a sleeping client: the exchange in flight is sent again
        // when it wakes (§6.14), not retransmitted into the void.
        sessions[index].retryDeadline = nil
        if !wasAsleep {
            publishPresence(sessions[index].clientID, "asleep", &actions)
            store(index, &actions)
        }
        schedule(index)
    }

    /// PINGREQ without a client id (§6.11): a keep-alive, answered at once. From
    /// an awake client it is a reminder: the PINGRESP still waits for the held
    /// messages' acknowledgements (§6.14).
    mutating func ping(at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        switch sessions[index].state {
        case .awake:
            pump(index, now: now, &actions)
        case .active, .asleep:
            send(.pingResponse, to: sessions[index].peer, &actions)
        case .connecting, .disconnected, .lost:
            rejectInvalid(.pingRequest(clientID: nil), from: sessions[index].peer)
        }
    }

    /// PINGREQ with a client id (§6.14): a sleeping client wakes up, from whatever
    /// address it now has. The message in flight is sent again, then the held ones;
    /// the PINGRESP follows once they are acknowledged. For an active client it is
    /// an ordinary PINGREQ; for a client with no live session, DISCONNECT.
    mutating func wake(_ clientID: String, from peer: Peer, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard var index = indexByClientID[clientID], sessions[index].state != .connecting, sessions[index].state.isLive else {
            rejectInvalid(.pingRequest(clientID: clientID), from: peer)
            send(.disconnect(durationSeconds: nil), to: peer, &actions)
            return
        }
        sessions[index].lastHeard = now
        if let other = indexByPeer[peer], other != index {
            // Another client was at this address and went away without a word.
            close(other, sessions[other].state == .connecting ? .abandoned : .lost, &actions)
            guard let found = indexByClientID[clientID] else { return }
            index = found
        }
        move(index, to: peer)
        switch sessions[index].state {
        case .asleep:
            setState(index, .awake)
            if let inFlight = sessions[index].inFlight {
                sessions[index].retryDeadline = retryDeadline(after: now)
                resend(inFlight, at: index, &actions)
            }
            pump(index, now: now, &actions)
        case .awake:
            pump(index, now: now, &actions)
        default:
            send(.pingResponse, to: peer, &actions)
        }
    }

    /// WILLTOPICUPD (§6.4): replaces the will's topic, QoS and retain flag, keeping
    /// its message; the empty form deletes the will.
    mutating func updateWillTopic(_ topic: MQTTSNWillTopic?, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let code: MQTTSNReturnCode
        if let topic {
            if (try? TopicName.validate(topic.topic)) != nil, topic.qos != .minusOne {
                let payload = sessions[index].will?.payload ?? []
                sessions[index].will = MQTTSNWill(topic: topic.topic, payload: payload, qos: topic.qos.rawValue, retain: topic.retain)
                code = .accepted
            } else {
                code = .rejectedNotSupported
            }
        } else {
            sessions[index].will = nil
            code = .accepted
        }
        send(.willTopicResponse(code), to: sessions[index].peer, now: now, &actions)
        if code.isAccepted { store(index, &actions) }
    }

    /// WILLMSGUPD (§6.4): replaces the will's message. With no will topic there is
    /// nothing to attach it to: "rejected: not supported".
    mutating func updateWillMessage(_ payload: [UInt8], at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard sessions[index].will != nil else {
            send(.willMessageResponse(.rejectedNotSupported), to: sessions[index].peer, now: now, &actions)
            return
        }
        sessions[index].will?.payload = payload
        send(.willMessageResponse(.accepted), to: sessions[index].peer, &actions)
        store(index, &actions)
    }
}
