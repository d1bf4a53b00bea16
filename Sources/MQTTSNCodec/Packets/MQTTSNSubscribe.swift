/// SUBSCRIBE (MQTT-SN v1.2 §5.4.15).
public struct MQTTSNSubscribe: Sendable, Hashable {
    /// DUP flag: this is a retransmission.
    public var dup: Bool
    /// The QoS requested.
    public var qos: MQTTSNQoS
    /// MsgId: matches the SUBACK.
    public var messageID: UInt16
    /// TopicName or TopicId, as the TopicIdType says.
    public var topic: MQTTSNSubscriptionTopic

    /// Creates the message.
    public init(dup: Bool = false, qos: MQTTSNQoS = .atMostOnce, messageID: UInt16, topic: MQTTSNSubscriptionTopic) {
        self.dup = dup
        self.qos = qos
        self.messageID = messageID
        self.topic = topic
    }
}

/// SUBACK (MQTT-SN v1.2 §5.4.16).
public struct MQTTSNSubAck: Sendable, Hashable {
    /// The QoS granted.
    public var qos: MQTTSNQoS
    /// TopicId: the id assigned to a topic name without wildcards, else 0x0000.
    public var topicID: UInt16
    /// MsgId of the SUBSCRIBE acknowledged.
    public var messageID: UInt16
    /// ReturnCode (§5.3.10).
    public var returnCode: MQTTSNReturnCode

    /// Creates the message.
    public init(qos: MQTTSNQoS = .atMostOnce, topicID: UInt16, messageID: UInt16, returnCode: MQTTSNReturnCode = .accepted) {
        self.qos = qos
        self.topicID = topicID
        self.messageID = messageID
        self.returnCode = returnCode
    }
}

/// UNSUBSCRIBE (MQTT-SN v1.2 §5.4.17).
public struct MQTTSNUnsubscribe: Sendable, Hashable {
    /// MsgId: matches the UNSUBACK.
    public var messageID: UInt16
    /// TopicName or TopicId, as the TopicIdType says.
    public var topic: MQTTSNSubscriptionTopic

    /// Creates the message.
    public init(messageID: UInt16, topic: MQTTSNSubscriptionTopic) {
        self.messageID = messageID
        self.topic = topic
    }
}
