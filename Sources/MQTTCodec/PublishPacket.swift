import NIOCore

/// PUBLISH (MQTT 3.1.1 §3.3, MQTT 5.0 §3.3).
public struct PublishPacket: Sendable, Equatable {
    /// The Topic Name, without wildcards; empty only with a 5.0 Topic Alias.
    public var topic: String
    /// The application message, as bytes.
    public var payload: ByteBuffer
    /// The delivery guarantee for this message.
    public var qos: MQTTQoS
    /// RETAIN: the server keeps this message for future subscribers (§3.3.1.3).
    public var retain: Bool
    /// DUP: set on a re-delivery of a QoS 1 or 2 message (§3.3.1.1).
    public var dup: Bool
    /// Present exactly when `qos` is 1 or 2 ([MQTT-2.3.1-5] / [MQTT-2.2.1-2]).
    public var packetID: UInt16?
    /// PUBLISH properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates a PUBLISH; the codec checks it when encoding.
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
    /// The identifier of the PUBLISH being acknowledged; never 0.
    public var packetID: UInt16
    /// The outcome (5.0 only; always success in 3.1.1).
    public var reasonCode: MQTTReasonCode
    /// Reason String and User Properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates an acknowledgement; success by default.
    public init(packetID: UInt16, reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
