import MQTTSNCodec

/// The topic side of SUBSCRIBE (MQTT-SN v1.2 §6.9): which filter the client asked
/// for and which id the SUBACK carries.
extension TopicRegistry {
    /// Answers the topic of a SUBSCRIBE.
    ///
    /// - A name with `+` or `#` is a filter: no id, the SUBACK carries 0x0000
    ///   (§5.4.16), and each matching topic is registered when it first arrives (§6.10).
    /// - A plain name is registered like a REGISTER, and the SUBACK gives the client
    ///   its id (§5.4.16). A two-character name is registered too, not answered as a
    ///   short name: the client asked with TopicIdType 0b00 and expects to match
    ///   downlink PUBLISHes by the SUBACK's id, which a SUBACK cannot mark as short.
    /// - A predefined id must be configured (§6.7), and the SUBACK repeats it.
    /// - A short name subscribes to its two characters (§6.7); wildcards make no
    ///   sense in one (§6.7), so they are "not supported", as is a filter that is not
    ///   valid (MQTT 5.0 §4.7) or a shared subscription.
    ///
    /// - Returns: the grant, or the rejection for the SUBACK's ReturnCode (§5.3.10).
    public mutating func subscription(
        to topic: MQTTSNSubscriptionTopic
    ) -> Result<SubscriptionGrant, TopicRegistryError> {
        switch topic {
        case .name(let name):
            guard let filter = try? TopicFilter(name) else { return .failure(.notSupported) }
            if filter.hasWildcards {
                return .success(SubscriptionGrant(filter: filter, topicID: Self.noTopicID, downlinkTopic: nil))
            }
            return register(name).map { id in
                SubscriptionGrant(filter: filter, topicID: id, downlinkTopic: .normal(id))
            }
        case .predefined(let id):
            guard let name = predefinedTopics.namesByID[id] else { return .failure(.invalidTopicID) }
            // A valid topic name is a valid filter unless it starts "$share/" (MQTT 5.0 §4.8.2).
            guard let filter = try? TopicFilter(name) else { return .failure(.notSupported) }
            return .success(SubscriptionGrant(filter: filter, topicID: id, downlinkTopic: .predefined(id)))
        case .shortName(let shortName):
            guard let name = shortName.topicName,
                (try? TopicName.validate(name)) != nil,
                let filter = try? TopicFilter(name)
            else { return .failure(.notSupported) }
            let grant = SubscriptionGrant(filter: filter, topicID: Self.noTopicID, downlinkTopic: .shortName(shortName))
            return .success(grant)
        }
    }
}
