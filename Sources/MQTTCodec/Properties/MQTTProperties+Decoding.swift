import NIOCore

extension MQTTProperties {
    /// Reads the property list of 5.0 §2.2.2 for a packet of the given kind.
    ///
    /// Unknown identifiers, properties the packet may not carry and repeats of
    /// single-valued properties are errors (5.0 §2.2.2.2).
    static func decode(
        from reader: inout PacketReader,
        context: MQTTPropertyContext,
        packet: MQTTPacketType
    ) throws(MQTTCodecError) -> MQTTProperties {
        let length = try reader.readVariableByteInteger()
        var list = try reader.readSubReader(length: length)
        var properties = MQTTProperties()
        var seen = Set<MQTTPropertyIdentifier>()
        while !list.isAtEnd {
            // The identifier is a Variable Byte Integer, but every defined one is a
            // single byte below 128; anything else is unknown.
            let raw = try list.readByte()
            guard let identifier = MQTTPropertyIdentifier(rawValue: raw) else { throw .unknownProperty(raw) }
            guard identifier.allowedContexts.contains(context) else {
                throw .propertyNotAllowed(property: raw, packet: packet)
            }
            guard seen.insert(identifier).inserted || identifier.mayRepeat(in: context) else {
                throw .duplicateProperty(raw)
            }
            try properties.read(identifier, from: &list)
        }
        try properties.validateValues()
        return properties
    }

    private mutating func read(_ identifier: MQTTPropertyIdentifier, from list: inout PacketReader) throws(MQTTCodecError) {
        switch identifier {
        case .payloadFormatIndicator: payloadFormatIndicator = try list.readByte()
        case .messageExpiryInterval: messageExpiryInterval = try list.readUInt32()
        case .contentType: contentType = try list.readString()
        case .responseTopic: responseTopic = try list.readString()
        case .correlationData: correlationData = try list.readBinary()
        case .subscriptionIdentifier:
            let value = try list.readVariableByteInteger()
            // invariant: a Variable Byte Integer is at most 268,435,455, which fits a UInt32.
            subscriptionIdentifiers.append(UInt32(truncatingIfNeeded: value))
        case .sessionExpiryInterval: sessionExpiryInterval = try list.readUInt32()
        case .assignedClientIdentifier: assignedClientIdentifier = try list.readString()
        case .serverKeepAlive: serverKeepAlive = try list.readUInt16()
        case .authenticationMethod: authenticationMethod = try list.readString()
        case .authenticationData: authenticationData = try list.readBinary()
        case .requestProblemInformation: requestProblemInformation = try list.readByte()
        case .willDelayInterval: willDelayInterval = try list.readUInt32()
        case .requestResponseInformation: requestResponseInformation = try list.readByte()
        case .responseInformation: responseInformation = try list.readString()
        case .serverReference: serverReference = try list.readString()
        case .reasonString: reasonString = try list.readString()
        case .receiveMaximum: receiveMaximum = try list.readUInt16()
        case .topicAliasMaximum: topicAliasMaximum = try list.readUInt16()
        case .topicAlias: topicAlias = try list.readUInt16()
        case .maximumQoS: maximumQoS = try list.readByte()
        case .retainAvailable: retainAvailable = try list.readByte()
        case .userProperty:
            let name = try list.readString()
            let value = try list.readString()
            userProperties.append(UserProperty(name: name, value: value))
        case .maximumPacketSize: maximumPacketSize = try list.readUInt32()
        case .wildcardSubscriptionAvailable: wildcardSubscriptionAvailable = try list.readByte()
        case .subscriptionIdentifierAvailable: subscriptionIdentifiersAvailable = try list.readByte()
        case .sharedSubscriptionAvailable: sharedSubscriptionAvailable = try list.readByte()
        }
    }
}

extension MQTTProperties {
    /// Encodes the list on a 5.0 connection; on 3.1.1 there is no list and it must be empty.
    func encode(
        into buffer: inout ByteBuffer,
        version: MQTTProtocolVersion,
        context: MQTTPropertyContext,
        packet: MQTTPacketType
    ) throws(MQTTCodecError) {
        switch version {
        case .v5: try encode(into: &buffer, context: context, packet: packet)
        case .v3_1_1: guard isEmpty else { throw .propertiesNotSupportedInV311 }
        }
    }

    /// Decodes the list on a 5.0 connection; on 3.1.1 there is none.
    static func decode(
        from reader: inout PacketReader,
        version: MQTTProtocolVersion,
        context: MQTTPropertyContext,
        packet: MQTTPacketType
    ) throws(MQTTCodecError) -> MQTTProperties {
        switch version {
        case .v5: return try decode(from: &reader, context: context, packet: packet)
        case .v3_1_1: return MQTTProperties()
        }
    }
}
