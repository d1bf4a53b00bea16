extension Uplink: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `Uplink(mqtts://broker:8883, MQTT 5, client perch-gw)`. Never the
    /// credentials (the URL cannot hold any: `BrokerURL` refuses user info).
    public var description: String {
        "Uplink(\(configuration.brokerDescription), MQTT \(configuration.protocolVersion), client \(configuration.clientID))"
    }
}
