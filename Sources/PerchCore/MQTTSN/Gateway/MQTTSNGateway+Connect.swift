import MQTTSNCodec
import NIOCore

/// CONNECT (MQTT-SN v1.2 §6.2), clean session (§6.3) and the will prompting
/// of WILLTOPICREQ/WILLTOPIC/WILLMSGREQ/WILLMSG (§6.2).
extension MQTTSNGateway {
    /// Longest client id accepted: §5.3.1 says 1–23 characters, but Mosquitto and
    /// MQTT 5 servers accept longer ones, and sensors in the field send them.
    static var maximumClientIDLength: Int { 256 }

    /// Answers a CONNECT.
    mutating func connect(_ connect: MQTTSNConnect, from peer: Peer, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let clientID = connect.clientID
        guard Self.isAcceptable(clientID) else {
            send(.connAck(.rejectedNotSupported), to: peer, now: now, &actions)
            return
        }
        guard configuration.allowedClients.isEmpty || configuration.allowedClients.contains(clientID) else {
            send(.connAck(.rejectedNotSupported), to: peer, now: now, &actions)
            return
        }
        // A `${clientid}` mountpoint the id cannot go into (too long a topic).
        guard let mountpoint = try? configuration.mountpoint.resolved(forClient: clientID) else {
            send(.connAck(.rejectedNotSupported), to: peer, now: now, &actions)
            return
        }
        // Room for one more live client? A client already live takes its own place.
        let existing = indexByClientID[clientID]
        let isLive = existing.map { sessions[$0].state.isLive } ?? false
        let peerIsOther = indexByPeer[peer].map { sessions[$0].clientID != clientID } ?? false
        let freed = peerIsOther ? 1 : 0
        guard isLive || statistics.clients - freed < configuration.maxClients else {
            send(.connAck(.rejectedCongestion), to: peer, now: now, &actions)
            return
        }
        // Another client was at this address: it went away without DISCONNECT.
        if let other = indexByPeer[peer], sessions[other].clientID != clientID {
            close(other, sessions[other].state == .connecting ? .abandoned : .lost, &actions)
        }
        let index: Int
        if let found = indexByClientID[clientID] {
            index = found
            // The same client id from a new address takes the session over; the
            // old address is told it is disconnected.
            let oldPeer = sessions[index].peer
            if sessions[index].state.isLive && oldPeer != peer {
                send(.disconnect(durationSeconds: nil), to: oldPeer, &actions)
            }
            move(index, to: peer)
            setState(index, .connecting)
        } else {
            let registry = TopicRegistry(
                predefinedTopics: configuration.predefinedTopics,
                maximumRegistrations: configuration.maximumRegistrationsPerClient)
            index = insert(MQTTSNSession(clientID: clientID, mountpoint: mountpoint, peer: peer, registry: registry, now: now, connection: 0))
        }
        begin(index, connect, now: now, &actions)
    }

    /// Resets the session for a new connection and starts will prompting or accepts.
    private mutating func begin(_ index: Int, _ connect: MQTTSNConnect, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        if connect.cleanSession {
            // §6.3: a clean session deletes subscriptions and will; Perch deletes
            // the registrations too, as MQTT-SN clients register again after a
            // clean CONNECT.
            for change in subscriptions.removeAll(for: connect.clientID) { actions.append(change.action()) }
            sessions[index].subscriptions.removeAll()
            sessions[index].registry = TopicRegistry(
                predefinedTopics: configuration.predefinedTopics,
                maximumRegistrations: configuration.maximumRegistrationsPerClient)
            sessions[index].upstreamTopics.removeAll()
            sessions[index].will = nil
            sessions[index].queue.removeAll()
            sessions[index].receivedQoS2.removeAll()
        } else if connect.will {
            // §6.3: Will flag set, clean session off: the will is asked for again.
            sessions[index].will = nil
        }
        if let inFlight = sessions[index].inFlight, case .register(let topicID, _) = inFlight.stage {
            sessions[index].registry.withdraw(id: topicID)
        }
        sessions[index].inFlight = nil
        sessions[index].awaitingUpstream.removeAll()
        sessions[index].cleanSession = connect.cleanSession
        sessions[index].keepAliveSeconds = connect.durationSeconds
        sessions[index].sleepSeconds = nil
        sessions[index].lastHeard = now
        sessions[index].connection = makeStamp()
        sessions[index].heldSubAcks = 0
        sessions[index].willPromptRetries = 0
        if connect.will {
            sessions[index].willPrompt = .awaitingTopic
            sessions[index].retryDeadline = retryDeadline(after: now)
            send(.willTopicRequest, to: sessions[index].peer, &actions)
            schedule(index)
        } else {
            accept(index, now: now, &actions)
        }
    }

    /// CONNACK accepted: the client is active (§6.2).
    mutating func accept(_ index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        sessions[index].willPrompt = nil
        sessions[index].retryDeadline = nil
        setState(index, .active)
        send(.connAck(.accepted), to: sessions[index].peer, &actions)
        publishPresence(sessions[index].clientID, "online", &actions)
        store(index, &actions)
        // A clean-session-off client resuming from sleep gets what was held for it.
        pump(index, now: now, &actions)
        schedule(index)
    }

    /// WILLTOPIC (§5.4.7): the empty form means no will (§6.2).
    mutating func willTopic(_ topic: MQTTSNWillTopic?, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard sessions[index].willPrompt == .awaitingTopic else {
            rejectInvalid(.willTopic(topic), from: sessions[index].peer)
            return
        }
        guard let topic else {
            sessions[index].will = nil
            accept(index, now: now, &actions)
            return
        }
        guard (try? TopicName.validate(topic.topic)) != nil, topic.qos != .minusOne else {
            send(.connAck(.rejectedNotSupported), to: sessions[index].peer, now: now, &actions)
            close(index, .abandoned, &actions)
            return
        }
        sessions[index].willPrompt = .awaitingMessage(topic: topic.topic, qos: topic.qos.rawValue, retain: topic.retain)
        sessions[index].willPromptRetries = 0
        sessions[index].retryDeadline = retryDeadline(after: now)
        send(.willMessageRequest, to: sessions[index].peer, &actions)
        schedule(index)
    }

    /// WILLMSG (§5.4.9): completes the will and the connection.
    mutating func willMessage(_ payload: ByteBuffer, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard case .awaitingMessage(let topic, let qos, let retain) = sessions[index].willPrompt else {
            rejectInvalid(.willMessage(payload), from: sessions[index].peer)
            return
        }
        sessions[index].will = MQTTSNWill(topic: topic, payload: Array(payload.readableBytesView), qos: qos, retain: retain)
        accept(index, now: now, &actions)
    }

    /// The will prompt was not answered within Tretry: ask again, or give the
    /// connection attempt up after Nretry prompts (§6.13 applied to the gateway's side).
    mutating func repeatWillPrompt(_ index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let prompt = sessions[index].willPrompt else { return }
        guard sessions[index].willPromptRetries < configuration.retryCount else {
            close(index, .abandoned, &actions)
            return
        }
        sessions[index].willPromptRetries += 1
        sessions[index].retryDeadline = retryDeadline(after: now)
        switch prompt {
        case .awaitingTopic: send(.willTopicRequest, to: sessions[index].peer, &actions)
        case .awaitingMessage: send(.willMessageRequest, to: sessions[index].peer, &actions)
        }
    }

    /// §5.3.1: not empty; Perch also refuses what would break the presence topic
    /// `{prefix}{clientid}` (a wildcard or U+0000) and absurd lengths.
    static func isAcceptable(_ clientID: String) -> Bool {
        let utf8 = clientID.utf8
        guard !utf8.isEmpty, utf8.count <= maximumClientIDLength else { return false }
        return !utf8.contains { $0 == 0 || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }
    }
}
