import MQTTCodec
import MQTTSNCodec

/// SUBSCRIBE/UNSUBSCRIBE (MQTT-SN v1.2 §6.9) on the one table of the gateway,
/// reference counted upstream (SPEC §3).
extension MQTTSNGateway {
    /// A client's SUBSCRIBE. The SUBACK goes out at once, before the upstream
    /// SUBSCRIBE is acknowledged: the uplink holds the subscription and restores
    /// it after every reconnect, so the grant does not depend on the broker's
    /// answer of the moment.
    mutating func subscribe(_ subscribe: MQTTSNSubscribe, at index: Int, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let peer = sessions[index].peer
        let clientID = sessions[index].clientID
        let qos: MQTTQoS
        switch subscribe.qos {
        case .atMostOnce: qos = .atMostOnce
        case .atLeastOnce: qos = .atLeastOnce
        case .exactlyOnce: qos = .exactlyOnce
        case .minusOne:
            // §5.3.4: QoS -1 is a PUBLISH level only.
            send(.subAck(MQTTSNSubAck(topicID: 0, messageID: subscribe.messageID, returnCode: .rejectedNotSupported)), to: peer, &actions)
            return
        }
        let grant: SubscriptionGrant
        switch sessions[index].registry.subscription(to: subscribe.topic) {
        case .success(let granted): grant = granted
        case .failure(let error):
            send(.subAck(MQTTSNSubAck(qos: subscribe.qos, topicID: 0, messageID: subscribe.messageID, returnCode: error.returnCode)), to: peer, &actions)
            return
        }
        let changes: [UpstreamSubscriptionChange]
        do {
            changes = try subscriptions.subscribe(clientID, to: grant.filter, qos: qos)
        } catch {
            // The mountpoint made the filter invalid upstream (`site` + `#`).
            send(.subAck(MQTTSNSubAck(qos: subscribe.qos, topicID: 0, messageID: subscribe.messageID, returnCode: .rejectedNotSupported)), to: peer, &actions)
            return
        }
        if case .normal(let id) = grant.downlinkTopic, sessions[index].upstreamTopics[id] == nil {
            sessions[index].upstreamTopics[id] = configuration.mountpoint.upstreamTopic(for: grant.filter.value)
        }
        sessions[index].subscriptions[grant.filter.value] = MQTTSNClientSubscription(grant: grant, qos: qos)
        send(.subAck(MQTTSNSubAck(qos: subscribe.qos, topicID: grant.topicID, messageID: subscribe.messageID)), to: peer, &actions)
        for change in changes { actions.append(change.action()) }
        store(index, &actions)
    }

    /// A client's UNSUBSCRIBE: always answered with UNSUBACK (§5.4.18 has no return code).
    mutating func unsubscribe(_ unsubscribe: MQTTSNUnsubscribe, at index: Int, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let clientID = sessions[index].clientID
        let filterText: String?
        switch unsubscribe.topic {
        case .name(let name): filterText = name
        case .predefined(let id): filterText = configuration.predefinedTopics.namesByID[id]
        case .shortName(let shortName): filterText = shortName.topicName
        }
        var changes: [UpstreamSubscriptionChange] = []
        var isRemoved = false
        if let filterText, let filter = try? TopicFilter(filterText),
            sessions[index].subscriptions.removeValue(forKey: filterText) != nil {
            isRemoved = true
            changes = subscriptions.unsubscribe(clientID, from: filter)
        }
        send(.unsubAck(messageID: unsubscribe.messageID), to: sessions[index].peer, &actions)
        for change in changes { actions.append(change.action()) }
        if isRemoved { store(index, &actions) }
    }
}

extension MQTTSNClientSubscription {
    /// The persisted form of a granted subscription.
    init(grant: SubscriptionGrant, qos: MQTTQoS) {
        switch grant.downlinkTopic {
        case .normal(let id)?: self.init(filter: grant.filter.value, qos: qos.rawValue, topicID: id)
        case .predefined(let id)?: self.init(filter: grant.filter.value, qos: qos.rawValue, topicID: id, isPredefined: true)
        case .shortName?: self.init(filter: grant.filter.value, qos: qos.rawValue, shortName: grant.filter.value)
        case nil: self.init(filter: grant.filter.value, qos: qos.rawValue)
        }
    }

    /// How a downlink PUBLISH on this exact topic names it; `nil` for a wildcard filter.
    var downlinkTopic: MQTTSNTopic? {
        if let shortName, let short = MQTTSNShortTopicName(shortName) { return .shortName(short) }
        guard let topicID else { return nil }
        return isPredefined ? .predefined(topicID) : .normal(topicID)
    }
}
