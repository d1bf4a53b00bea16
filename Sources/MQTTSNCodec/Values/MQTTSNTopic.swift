/// The topic of a PUBLISH: the TopicId field read as the Flags' TopicIdType says
/// (MQTT-SN v1.2 §5.3.4 and §5.3.11).
public enum MQTTSNTopic: Sendable, Hashable {
    /// TopicIdType 0b00: an id assigned by REGISTER/REGACK or SUBACK.
    case normal(UInt16)
    /// TopicIdType 0b01: an id both sides know in advance.
    case predefined(UInt16)
    /// TopicIdType 0b10: a two-octet topic name carried in place of an id.
    case shortName(MQTTSNShortTopicName)
}

/// The topic of a SUBSCRIBE or UNSUBSCRIBE (MQTT-SN v1.2 §5.4.15, §5.4.17):
/// a topic name (wildcards allowed), a predefined id or a short topic name.
public enum MQTTSNSubscriptionTopic: Sendable, Hashable {
    /// TopicIdType 0b00: a topic name or filter, UTF-8.
    case name(String)
    /// TopicIdType 0b01: a predefined topic id.
    case predefined(UInt16)
    /// TopicIdType 0b10: a two-octet short topic name.
    case shortName(MQTTSNShortTopicName)
}
