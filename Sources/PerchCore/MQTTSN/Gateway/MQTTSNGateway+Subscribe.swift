import MQTTCodec
import MQTTSNCodec

/// SUBSCRIBE/UNSUBSCRIBE (MQTT-SN v1.2 §6.9) on the one table of the gateway,
/// reference counted upstream (SPEC §3).
extension MQTTSNGateway {
    /// A client's SUBSCRIBE. When it needs a new upstream subscription (a filter
    /// nobody held, or a higher QoS), the SUBACK waits for the broker's SUBACK
    /// (`upstreamSubscriptionSettled`): a sensor that publishes a command right
    /// after its SUBACK must get it back. Otherwise it goes out at once. A
    /// retransmitted SUBSCRIBE finds the subscription in place and is answered at
    /// once too: that bounds the wait when the uplink is down (the uplink
    /// restores the subscription when it reconnects).
    mutating func subscribe(_ subscribe: MQTTSNSubscribe, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let peer = sessions[index].peer
        let clientID = sessions[index].clientID
        let qos: MQTTQoS
        switch subscribe.qos {
        case .atMostOnce: qos = .atMostOnce
        case .atLeastOnce: qos = .atLeastOnce
        case .exactlyOnce: qos = .exactlyOnce
        case .minusOne:
            // §5.3.4: QoS -1 is a PUBLISH level only.
            send(.subAck(MQTTSNSubAck(topicID: 0, messageID: subscribe.messageID, returnCode: .rejectedNotSupported)), to: peer, now: now, &actions)
            return
        }
        let grant: SubscriptionGrant
        switch sessions[index].registry.subscription(to: subscribe.topic) {
        case .success(let granted): grant = granted
        case .failure(let error):
            send(.subAck(MQTTSNSubAck(qos: subscribe.qos, topicID: 0, messageID: subscribe.messageID, returnCode: error.returnCode)), to: peer, now: now, &actions)
            return
        }
        let changes: [UpstreamSubscriptionChange]
        do {
            changes = try subscriptions.subscribe(clientID, to: grant.filter, qos: qos, mountpoint: sessions[index].mountpoint)
        } catch {
            // The mountpoint made the filter invalid upstream (`site` + `#`).
            send(.subAck(MQTTSNSubAck(qos: subscribe.qos, topicID: 0, messageID: subscribe.messageID, returnCode: .rejectedNotSupported)), to: peer, now: now, &actions)
            return
        }
        if case .normal(let id) = grant.downlinkTopic, sessions[index].upstreamTopics[id] == nil {
            sessions[index].upstreamTopics[id] = sessions[index].mountpoint.upstreamTopic(for: grant.filter.value)
        }
        sessions[index].subscriptions[grant.filter.value] = MQTTSNClientSubscription(grant: grant, qos: qos)
        let subAck = MQTTSNSubAck(qos: subscribe.qos, topicID: grant.topicID, messageID: subscribe.messageID)
        var heldFor = changes.lazy.compactMap { change -> String? in
            if case .subscribe(let filter, _) = change { return filter.value }
            return nil
        }.first
        if heldFor == nil, !pendingSubAcks.isEmpty {
            // Another client's SUBSCRIBE of the same filter is still waiting for the
            // broker: this SUBACK waits with it, so that it too means "the broker
            // has it". Not a retransmission of this client's own held SUBSCRIBE,
            // which is answered at once (that bounds the wait while the uplink is down).
            let connection = sessions[index].connection
            if let upstream = try? sessions[index].mountpoint.upstreamFilter(for: grant.filter).value,
                let waiting = pendingSubAcks[upstream],
                !waiting.contains(where: { $0.clientID == clientID && $0.connection == connection && $0.subAck.messageID == subscribe.messageID }) {
                heldFor = upstream
            }
        }
        if let heldFor {
            let pending = MQTTSNPendingSubAck(
                clientID: clientID, connection: sessions[index].connection, subAck: subAck, localFilter: grant.filter.value)
            pendingSubAcks[heldFor, default: []].append(pending)
            sessions[index].heldSubAcks += 1
        } else {
            let released = dropPendingSubAck(clientID: clientID, connection: sessions[index].connection, messageID: subscribe.messageID)
            send(.subAck(subAck), to: peer, now: now, &actions)
            if released {
                sessions[index].heldSubAcks -= 1
                pump(index, now: now, &actions)
            }
        }
        for change in changes { actions.append(change.action()) }
        store(index, &actions)
    }

    /// The broker's answer to an upstream SUBSCRIBE of `filter` (mountpoint
    /// included): the SUBACKs held for it go out. When the broker refused it, each
    /// waiting client gets "rejected: not supported" and loses the subscription.
    public mutating func upstreamSubscriptionSettled(
        _ filter: String, accepted: Bool, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]
    ) {
        guard let waiting = pendingSubAcks.removeValue(forKey: filter) else { return }
        for pending in waiting {
            guard let index = indexByClientID[pending.clientID], sessions[index].connection == pending.connection else { continue }
            sessions[index].heldSubAcks -= 1
            guard sessions[index].state.isLive else { continue }
            var subAck = pending.subAck
            if !accepted {
                subAck.returnCode = .rejectedNotSupported
                if sessions[index].subscriptions.removeValue(forKey: pending.localFilter) != nil,
                    let local = try? TopicFilter(pending.localFilter) {
                    for change in subscriptions.unsubscribe(pending.clientID, from: local, mountpoint: sessions[index].mountpoint) { actions.append(change.action()) }
                    store(index, &actions)
                }
            }
            send(.subAck(subAck), to: sessions[index].peer, now: now, &actions)
            // Downlink that waited behind the SUBACK (the retained message among it).
            pump(index, now: now, &actions)
        }
    }

    /// Forgets a held SUBACK of this connection that is being answered otherwise
    /// (a retransmitted SUBSCRIBE); true when there was one.
    private mutating func dropPendingSubAck(clientID: String, connection: UInt64, messageID: UInt16) -> Bool {
        guard !pendingSubAcks.isEmpty else { return false }
        var dropped = false
        for (filter, waiting) in pendingSubAcks {
            let remaining = waiting.filter {
                !($0.clientID == clientID && $0.connection == connection && $0.subAck.messageID == messageID)
            }
            guard remaining.count != waiting.count else { continue }
            dropped = true
            pendingSubAcks[filter] = remaining.isEmpty ? nil : remaining
        }
        return dropped
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
            changes = subscriptions.unsubscribe(clientID, from: filter, mountpoint: sessions[index].mountpoint)
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
