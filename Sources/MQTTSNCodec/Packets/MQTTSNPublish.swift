import NIOCore

/// PUBLISH (MQTT-SN v1.2 §5.4.12).
public struct MQTTSNPublish: Sendable, Hashable {
    /// DUP flag: this is a retransmission.
    public var dup: Bool
    /// QoS, -1 included.
    public var qos: MQTTSNQoS
    /// Retain flag.
    public var retain: Bool
    /// The TopicId field with its TopicIdType.
    public var topic: MQTTSNTopic
    /// MsgId: relevant for QoS 1 and 2 only, "otherwise coded 0x0000" (§5.4.12);
    /// kept as received so the session decides what a stray value means.
    public var messageID: UInt16
    /// Data: the payload.
    public var payload: ByteBuffer

    /// Creates the message.
    public init(
        dup: Bool = false, qos: MQTTSNQoS = .atMostOnce, retain: Bool = false,
        topic: MQTTSNTopic, messageID: UInt16 = 0, payload: ByteBuffer
    ) {
        self.dup = dup
        self.qos = qos
        self.retain = retain
        self.topic = topic
        self.messageID = messageID
        self.payload = payload
    }
}
