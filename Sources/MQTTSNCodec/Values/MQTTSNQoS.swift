/// The QoS field of the Flags octet (MQTT-SN v1.2 §5.3.4); the raw value is the
/// two bits as they sit on the wire (bits 6 and 5).
public enum MQTTSNQoS: UInt8, Sendable, Hashable, CaseIterable {
    /// QoS 0, 0b00.
    case atMostOnce = 0b00
    /// QoS 1, 0b01.
    case atLeastOnce = 0b01
    /// QoS 2, 0b10.
    case exactlyOnce = 0b10
    /// QoS -1, 0b11: PUBLISH without a connection, predefined or short topic ids only (§6.8).
    case minusOne = 0b11
}
