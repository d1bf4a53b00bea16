import MQTTCodec

/// One row of the uplink table: QoS, transport and in-flight window.
struct UplinkCase: Sendable {
    var qos: MQTTQoS
    var useTLS: Bool
    var inFlightWindow: Int

    /// The payload the issue asks for: a small sensor reading.
    static let payloadSize = 64

    var transport: String { useTLS ? "TLS" : "TCP" }
}
