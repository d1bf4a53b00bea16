import MQTTSNCodec

/// What a ``TopicRegistry`` grants a client's SUBSCRIBE (MQTT-SN v1.2 §5.4.15, §5.4.16, §6.9).
public struct SubscriptionGrant: Sendable, Hashable {
    /// The filter to subscribe upstream and to match downlink messages against.
    public var filter: TopicFilter
    /// The TopicId of the SUBACK: the normal or predefined id, or
    /// ``TopicRegistry/noTopicID`` for a wildcard filter or a short name (§5.4.16).
    public var topicID: UInt16
    /// How a downlink PUBLISH for this subscription names its topic; `nil` for a
    /// wildcard filter, whose matching topics each need an id of their own
    /// (``TopicRegistry/registrationForDownlink(_:)``).
    public var downlinkTopic: MQTTSNTopic?

    /// Wraps the parts of a grant.
    public init(filter: TopicFilter, topicID: UInt16, downlinkTopic: MQTTSNTopic?) {
        self.filter = filter
        self.topicID = topicID
        self.downlinkTopic = downlinkTopic
    }
}
