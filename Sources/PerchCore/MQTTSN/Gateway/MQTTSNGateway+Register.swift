import MQTTSNCodec

/// REGISTER/REGACK in both directions (MQTT-SN v1.2 §6.5, §6.10).
extension MQTTSNGateway {
    /// A client's REGISTER (§6.5): the id for the name, the same one every time.
    mutating func register(_ register: MQTTSNRegister, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let before = sessions[index].registry.count
        let ack: MQTTSNTopicAck
        switch sessions[index].registry.register(register.topicName) {
        case .success(let id):
            if sessions[index].upstreamTopics[id] == nil {
                sessions[index].upstreamTopics[id] = sessions[index].mountpoint.upstreamTopic(for: register.topicName)
            }
            ack = MQTTSNTopicAck(topicID: id, messageID: register.messageID)
        case .failure(let error):
            ack = MQTTSNTopicAck(topicID: 0, messageID: register.messageID, returnCode: error.returnCode)
        }
        send(.regAck(ack), to: sessions[index].peer, now: now, &actions)
        // A new id must survive a restart of Perch, or the client's next PUBLISH
        // with it would be refused (the "topic ids lost on restart" complaint).
        if sessions[index].registry.count != before { store(index, &actions) }
    }

    /// A client's REGACK to the gateway's REGISTER (§6.10): accepted makes the id
    /// usable and releases the held PUBLISH; a rejection drops that message.
    mutating func registerAcknowledged(_ ack: MQTTSNTopicAck, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let inFlight = sessions[index].inFlight, inFlight.messageID == ack.messageID,
            case .register(let topicID, let topicName) = inFlight.stage
        else {
            rejectInvalid(.regAck(ack), from: sessions[index].peer)
            return
        }
        sessions[index].inFlight = nil
        sessions[index].retryDeadline = nil
        if ack.returnCode.isAccepted {
            sessions[index].registry.acknowledge(id: topicID)
            sessions[index].upstreamTopics[topicID] = sessions[index].mountpoint.upstreamTopic(for: topicName)
            store(index, &actions)
        } else {
            sessions[index].registry.withdraw(id: topicID)
            if sessions[index].queue.first?.localTopic == topicName {
                sessions[index].queue.removeFirst()
                statistics.dropped &+= 1
            }
        }
        pump(index, now: now, &actions)
    }
}
