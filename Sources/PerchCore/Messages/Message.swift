import MQTTCodec
import NIOCore

/// One application message on its way through Perch, in either direction:
/// from a sensor to the broker (uplink) or from the broker to a sensor, a pin
/// or an observer (downlink).
///
/// The topic is always the full upstream topic, mountpoint included; adapters
/// add and strip the mountpoint at the edge.
public struct Message: Sendable, Equatable {
    /// The MQTT topic name (never a filter: no `+` or `#`).
    public var topic: String
    public var payload: ByteBuffer
    public var qos: MQTTQoS
    public var retain: Bool
    /// MIME type of the payload, sent as the MQTT 5 Content Type property
    /// (MQTT 5.0 §3.3.2.3.9); dropped on a 3.1.1 uplink.
    public var contentType: String?
    /// How long the message stays worth delivering, sent as the MQTT 5 Message
    /// Expiry Interval (§3.3.2.3.3); `nil` means it never expires.
    public var expiry: Duration?

    public init(
        topic: String,
        payload: ByteBuffer,
        qos: MQTTQoS = .atMostOnce,
        retain: Bool = false,
        contentType: String? = nil,
        expiry: Duration? = nil
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.contentType = contentType
        self.expiry = expiry
    }
}

extension Message {
    /// A message with a UTF-8 text payload.
    public init(topic: String, text: String, qos: MQTTQoS = .atMostOnce, retain: Bool = false) {
        self.init(topic: topic, payload: ByteBuffer(string: text), qos: qos, retain: retain)
    }
}
