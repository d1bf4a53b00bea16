/// A new `mqttsn` section while the gateway runs (`systemctl reload`, SPEC §8).
extension MQTTSNGateway {
    /// The settings a running gateway can take without a restart; the rest
    /// (listen addresses, the mountpoint, the presence topics) are the shell's
    /// and the daemon's to refuse.
    public enum LiveSetting: String, Sendable, CaseIterable {
        case gatewayID = "mqttsn.gateway_id"
        case predefinedTopics = "mqttsn.predefined_topics"
        case allowedClients = "mqttsn.allow_clients"
        case maxClients = "mqttsn.max_clients"
        case sleepingBuffer = "mqttsn.sleeping_buffer"
        case retry = "mqttsn.retry"
        case advertiseInterval = "mqttsn.advertise.interval"
        case rateLimit = "mqttsn.rate_limit"
    }

    /// Takes `new`'s live settings and returns which of them changed.
    ///
    /// - `predefined_topics`: every session sees the new table at once (§6.7:
    ///   the ids are known to both sides in advance, so the operator changes
    ///   the sensors' firmware and the gateway together). A subscription made
    ///   through a predefined id keeps the topic it was made to.
    /// - `allow_clients`: a live client no longer allowed is sent DISCONNECT
    ///   and its session ends as if it had disconnected (its CONNECT would be
    ///   refused now, so it must not keep publishing).
    /// - `max_clients`: applies to the next CONNECT; clients already
    ///   connected above a lowered limit stay.
    /// - `sleeping_buffer`, `retry`: apply from the next message and the next
    ///   retransmission.
    /// - `advertise.interval`: the next ADVERTISE is sent now and the rest on
    ///   the new interval; `nil` stops them. The broadcast address is the
    ///   shell's and needs a restart.
    /// - `rate_limit`: every source starts again from a full budget.
    public mutating func reconfigure(
        _ new: MQTTSNGatewayConfiguration, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]
    ) -> [LiveSetting] {
        var changed: [LiveSetting] = []
        let old = configuration
        if new.gatewayID != old.gatewayID {
            configuration.gatewayID = new.gatewayID
            changed.append(.gatewayID)
        }
        if new.predefinedTopics != old.predefinedTopics {
            configuration.predefinedTopics = new.predefinedTopics
            predefinedUpstreamTopics = new.predefinedTopics.namesByID.mapValues { configuration.mountpoint.upstreamTopic(for: $0) }
            for index in sessions.indices { sessions[index].registry.predefinedTopics = new.predefinedTopics }
            changed.append(.predefinedTopics)
        }
        if new.allowedClients != old.allowedClients {
            configuration.allowedClients = new.allowedClients
            disconnectClientsNoLongerAllowed(&actions)
            changed.append(.allowedClients)
        }
        if new.maxClients != old.maxClients {
            configuration.maxClients = new.maxClients
            changed.append(.maxClients)
        }
        if new.sleepingBuffer != old.sleepingBuffer {
            configuration.sleepingBuffer = max(new.sleepingBuffer, 0)
            changed.append(.sleepingBuffer)
        }
        if new.retryInterval != old.retryInterval || new.retryCount != old.retryCount {
            configuration.retryInterval = max(new.retryInterval, .milliseconds(1))
            configuration.retryCount = max(new.retryCount, 0)
            changed.append(.retry)
        }
        if new.advertiseInterval != old.advertiseInterval {
            configuration.advertiseInterval = new.advertiseInterval
            nextAdvertise = nil
            if isStarted { advertise(now: now, &actions) }
            changed.append(.advertiseInterval)
        }
        if new.rateLimit != old.rateLimit || (new.rateLimit != nil && new.maxClients != old.maxClients) {
            configuration.rateLimit = new.rateLimit
            rateLimiter = new.rateLimit.map { Self.rateLimiter($0, maxClients: configuration.maxClients) }
            if new.rateLimit != old.rateLimit { changed.append(.rateLimit) }
        }
        return changed
    }

    /// DISCONNECT to every live client the allow-list no longer names.
    private mutating func disconnectClientsNoLongerAllowed(_ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard !configuration.allowedClients.isEmpty else { return }
        // `close` swap-removes sessions: look each one up again by client id.
        let refused = sessions.filter { $0.state.isLive && !configuration.allowedClients.contains($0.clientID) }.map(\.clientID)
        for clientID in refused {
            guard let index = indexByClientID[clientID] else { continue }
            logger.notice("MQTT-SN: client \(clientID) is no longer in mqttsn.allow_clients; disconnected")
            send(.disconnect(durationSeconds: nil), to: sessions[index].peer, &actions)
            close(index, .disconnected, &actions)
        }
    }
}
