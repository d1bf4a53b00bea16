import NIOCore

extension MQTTProperties {
    /// Writes the property list of 5.0 §2.2.2: its length as a Variable Byte
    /// Integer, then each property, in identifier order.
    func encode(
        into buffer: inout ByteBuffer,
        context: MQTTPropertyContext,
        packet: MQTTPacketType
    ) throws(MQTTCodecError) {
        try validateValues()
        var list = ByteBuffer()
        let writer = PropertyWriter(context: context, packet: packet)
        if let value = payloadFormatIndicator { try writer.begin(.payloadFormatIndicator, &list); list.writeInteger(value) }
        if let value = messageExpiryInterval { try writer.begin(.messageExpiryInterval, &list); list.writeInteger(value) }
        if let value = contentType { try writer.begin(.contentType, &list); try list.writeMQTTString(value) }
        if let value = responseTopic { try writer.begin(.responseTopic, &list); try list.writeMQTTString(value) }
        if let value = correlationData { try writer.begin(.correlationData, &list); try list.writeMQTTBinary(value) }
        if !subscriptionIdentifiers.isEmpty {
            if subscriptionIdentifiers.count > 1 && !MQTTPropertyIdentifier.subscriptionIdentifier.mayRepeat(in: context) {
                throw .duplicateProperty(MQTTPropertyIdentifier.subscriptionIdentifier.rawValue)
            }
            for value in subscriptionIdentifiers {
                try writer.begin(.subscriptionIdentifier, &list)
                try list.writeMQTTVariableByteInteger(Int(value))
            }
        }
        if let value = sessionExpiryInterval { try writer.begin(.sessionExpiryInterval, &list); list.writeInteger(value) }
        if let value = assignedClientIdentifier { try writer.begin(.assignedClientIdentifier, &list); try list.writeMQTTString(value) }
        if let value = serverKeepAlive { try writer.begin(.serverKeepAlive, &list); list.writeInteger(value) }
        if let value = authenticationMethod { try writer.begin(.authenticationMethod, &list); try list.writeMQTTString(value) }
        if let value = authenticationData { try writer.begin(.authenticationData, &list); try list.writeMQTTBinary(value) }
        if let value = requestProblemInformation { try writer.begin(.requestProblemInformation, &list); list.writeInteger(value) }
        if let value = willDelayInterval { try writer.begin(.willDelayInterval, &list); list.writeInteger(value) }
        if let value = requestResponseInformation { try writer.begin(.requestResponseInformation, &list); list.writeInteger(value) }
        if let value = responseInformation { try writer.begin(.responseInformation, &list); try list.writeMQTTString(value) }
        if let value = serverReference { try writer.begin(.serverReference, &list); try list.writeMQTTString(value) }
        if let value = reasonString { try writer.begin(.reasonString, &list); try list.writeMQTTString(value) }
        if let value = receiveMaximum { try writer.begin(.receiveMaximum, &list); list.writeInteger(value) }
        if let value = topicAliasMaximum { try writer.begin(.topicAliasMaximum, &list); list.writeInteger(value) }
        if let value = topicAlias { try writer.begin(.topicAlias, &list); list.writeInteger(value) }
        if let value = maximumQoS { try writer.begin(.maximumQoS, &list); list.writeInteger(value) }
        if let value = retainAvailable { try writer.begin(.retainAvailable, &list); list.writeInteger(value) }
        for property in userProperties {
            try writer.begin(.userProperty, &list)
            try list.writeMQTTString(property.name)
            try list.writeMQTTString(property.value)
        }
        if let value = maximumPacketSize { try writer.begin(.maximumPacketSize, &list); list.writeInteger(value) }
        if let value = wildcardSubscriptionAvailable { try writer.begin(.wildcardSubscriptionAvailable, &list); list.writeInteger(value) }
        if let value = subscriptionIdentifiersAvailable { try writer.begin(.subscriptionIdentifierAvailable, &list); list.writeInteger(value) }
        if let value = sharedSubscriptionAvailable { try writer.begin(.sharedSubscriptionAvailable, &list); list.writeInteger(value) }
        try buffer.writeMQTTVariableByteInteger(list.readableBytes)
        buffer.writeImmutableBuffer(list)
    }
}

/// Writes property identifiers after checking that the packet may carry them.
private struct PropertyWriter {
    let context: MQTTPropertyContext
    let packet: MQTTPacketType

    func begin(_ identifier: MQTTPropertyIdentifier, _ list: inout ByteBuffer) throws(MQTTCodecError) {
        guard identifier.allowedContexts.contains(context) else {
            throw .propertyNotAllowed(property: identifier.rawValue, packet: packet)
        }
        // Every identifier defined so far is below 128, so its Variable Byte Integer is one byte.
        list.writeInteger(identifier.rawValue)
    }
}
