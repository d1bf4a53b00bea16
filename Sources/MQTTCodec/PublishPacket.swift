import NIOCore

/// PUBLISH (MQTT 3.1.1 §3.3, MQTT 5.0 §3.3).
public struct PublishPacket: Sendable, Equatable {
    public var topic: String
    public var payload: ByteBuffer
    public var qos: MQTTQoS
    public var retain: Bool
    /// DUP: set on a re-delivery of a QoS 1 or 2 message (§3.3.1.1).
    public var dup: Bool
    /// Present exactly when `qos` is 1 or 2 ([MQTT-2.3.1-5] / [MQTT-2.2.1-2]).
    public var packetID: UInt16?
    /// PUBLISH properties (5.0 only).
    public var properties: MQTTProperties

    public init(
        topic: String,
        payload: ByteBuffer,
        qos: MQTTQoS = .atMostOnce,
        retain: Bool = false,
        dup: Bool = false,
        packetID: UInt16? = nil,
        properties: MQTTProperties = MQTTProperties()
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.packetID = packetID
        self.properties = properties
    }
}

/// PUBACK, PUBREC, PUBREL or PUBCOMP (MQTT 3.1.1 §3.4–3.7, MQTT 5.0 §3.4–3.7).
///
/// In 5.0 the reason code and properties may be omitted on the wire when they are
/// "success" and empty (§3.4.2.1); the encoder does so.
public struct PublishAckPacket: Sendable, Equatable {
    public var packetID: UInt16
    public var reasonCode: MQTTReasonCode
    public var properties: MQTTProperties

    public init(packetID: UInt16, reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
