import MQTTSNCodec

/// Gateway advertisement and discovery (MQTT-SN v1.2 §6.1).
extension MQTTSNGateway {
    /// Starts the gateway's own timers: the first ADVERTISE goes out now and the
    /// next after `advertiseInterval` (§6.1). Call once, before anything else.
    public mutating func start(now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard !isStarted else { return }
        isStarted = true
        if configuration.advertiseInterval != nil { advertise(now: now, &actions) }
    }

    /// ADVERTISE, broadcast; its Duration is the interval to the next one (§5.4.1).
    mutating func advertise(now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let interval = configuration.advertiseInterval else { return }
        let seconds = UInt16(clamping: interval.components.seconds)
        statistics.sent &+= 1
        actions.append(.broadcast(.advertise(MQTTSNAdvertise(gatewayID: configuration.gatewayID, durationSeconds: seconds))))
        nextAdvertise = now.advanced(by: max(interval, .seconds(1)))
    }

    /// SEARCHGW: answered with GWINFO, without a GwAdd since the gateway answers
    /// for itself (§5.4.3, §6.1).
    mutating func searchGateway(from peer: Peer, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        send(.gatewayInfo(MQTTSNGatewayInfo(gatewayID: configuration.gatewayID)), to: peer, &actions)
    }
}
