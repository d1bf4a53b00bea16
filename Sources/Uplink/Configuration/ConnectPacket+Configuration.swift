import MQTTCodec

extension ConnectPacket {
    /// The CONNECT the uplink sends on every connection.
    init(configuration: Uplink.Configuration) {
        let version = configuration.protocolVersion
        var properties = MQTTProperties()
        if version == .v5 {
            // 5.0 §3.1.2.11.2: without an interval the session ends with the
            // connection, so Clean Start 0 alone would not keep it.
            if !configuration.cleanStart {
                properties.sessionExpiryInterval = configuration.sessionExpiryInterval
            }
            // 5.0 §3.1.2.11.4: the broker must not send anything larger.
            properties.maximumPacketSize = UInt32(clamping: configuration.maximumIncomingPacketSize)
        }
        let will = configuration.will.map {
            ConnectPacket.Will(topic: $0.topic, payload: $0.payload, qos: $0.qos, retain: $0.retain)
        }
        let seconds = configuration.keepAlive.components.seconds
        self.init(
            version: version,
            clientID: configuration.clientID,
            cleanStart: configuration.cleanStart,
            keepAliveSeconds: UInt16(clamping: seconds),
            username: configuration.username,
            password: configuration.password,
            will: will,
            properties: properties
        )
    }
}

extension Uplink.Configuration {
    /// `host:port` (IPv6 in brackets), as used in error messages.
    var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
