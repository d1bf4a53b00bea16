/// ADVERTISE: a gateway announces itself (MQTT-SN v1.2 §5.4.1).
public struct MQTTSNAdvertise: Sendable, Hashable {
    /// GwId: the gateway's id.
    public var gatewayID: UInt8
    /// Duration: seconds until the next ADVERTISE.
    public var durationSeconds: UInt16

    /// Creates the message.
    public init(gatewayID: UInt8, durationSeconds: UInt16) {
        self.gatewayID = gatewayID
        self.durationSeconds = durationSeconds
    }
}

/// GWINFO: the answer to SEARCHGW (MQTT-SN v1.2 §5.4.3).
public struct MQTTSNGatewayInfo: Sendable, Hashable {
    /// GwId: the gateway's id.
    public var gatewayID: UInt8
    /// GwAdd: the gateway's address; present only when a client answers for a
    /// gateway, empty when the gateway answers itself.
    public var gatewayAddress: [UInt8]

    /// Creates the message.
    public init(gatewayID: UInt8, gatewayAddress: [UInt8] = []) {
        self.gatewayID = gatewayID
        self.gatewayAddress = gatewayAddress
    }
}
