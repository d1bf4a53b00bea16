extension MQTTProperties {
    /// Checks the value ranges MQTT 5.0 sets for individual properties; used both
    /// before encoding and after decoding, so both directions agree.
    func validateValues() throws(MQTTCodecError) {
        // Byte properties that are Booleans on the wire: 0 or 1 only.
        let booleans: [(MQTTPropertyIdentifier, UInt8?)] = [
            (.payloadFormatIndicator, payloadFormatIndicator),  // §3.3.2.3.2
            (.requestProblemInformation, requestProblemInformation),  // §3.1.2.11.7
            (.requestResponseInformation, requestResponseInformation),  // §3.1.2.11.6
            (.maximumQoS, maximumQoS),  // §3.2.2.3.4
            (.retainAvailable, retainAvailable),  // §3.2.2.3.5
            (.wildcardSubscriptionAvailable, wildcardSubscriptionAvailable),  // §3.2.2.3.11
            (.subscriptionIdentifierAvailable, subscriptionIdentifiersAvailable),  // §3.2.2.3.12
            (.sharedSubscriptionAvailable, sharedSubscriptionAvailable),  // §3.2.2.3.13
        ]
        for (identifier, value) in booleans {
            if let value, value > 1 { throw .invalidPropertyValue(identifier.rawValue) }
        }
        // Receive Maximum §3.1.2.11.3, Topic Alias §3.3.2.3.4: 0 is a Protocol Error.
        if receiveMaximum == 0 { throw .invalidPropertyValue(MQTTPropertyIdentifier.receiveMaximum.rawValue) }
        if topicAlias == 0 { throw .invalidPropertyValue(MQTTPropertyIdentifier.topicAlias.rawValue) }
        // Maximum Packet Size §3.1.2.11.4: 0 is a Protocol Error.
        if maximumPacketSize == 0 { throw .invalidPropertyValue(MQTTPropertyIdentifier.maximumPacketSize.rawValue) }
        // Subscription Identifier §3.3.2.3.8: 1 to 268,435,455.
        for identifier in subscriptionIdentifiers where identifier == 0 || identifier > VariableByteInteger.maximum {
            throw .invalidPropertyValue(MQTTPropertyIdentifier.subscriptionIdentifier.rawValue)
        }
        // Response Topic is a topic name ([MQTT-3.3.2-14]).
        if let responseTopic { try MQTTTopicRules.validateName(responseTopic) }
    }
}
