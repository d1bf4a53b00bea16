import NIOCore

extension PublishPacket {
    /// DUP, QoS and RETAIN in the fixed header (§3.3.1).
    var fixedHeaderFlags: UInt8 {
        (dup ? 0b1000 : 0) | qos.rawValue << 1 | (retain ? 0b0001 : 0)
    }

    /// Writes the variable header only; the caller appends `payload` after the
    /// fixed header, so a large payload is copied once rather than twice.
    func encodeVariableHeader(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        if dup && qos == .atMostOnce { throw .duplicateFlagWithQoS0 }  // [MQTT-3.3.1-2]
        try MQTTTopicRules.validateName(topic, allowsEmpty: version == .v5 && properties.topicAlias != nil)
        try body.writeMQTTString(topic)
        switch (qos, packetID) {
        case (.atMostOnce, nil): break
        case (.atMostOnce, .some): throw .unexpectedPacketIdentifier  // [MQTT-2.3.1-5]
        case (_, nil): throw .missingPacketIdentifier  // [MQTT-2.3.1-1]
        case (_, .some(let id)): try body.writeMQTTPacketID(id)
        }
        try properties.encode(into: &body, version: version, context: .publish, packet: .publish)
    }

    static func decodeBody(
        flags: UInt8,
        from reader: inout PacketReader,
        version: MQTTProtocolVersion
    ) throws(MQTTCodecError) -> PublishPacket {
        // invariant: FixedHeader.peek has rejected QoS 3 and DUP on QoS 0.
        let qos = MQTTQoS(rawValue: (flags >> 1) & 0b11) ?? .atMostOnce
        let topic = try reader.readString()
        let packetID: UInt16? = if qos == .atMostOnce { nil } else { try reader.readPacketID() }
        let properties = try MQTTProperties.decode(from: &reader, version: version, context: .publish, packet: .publish)
        // 5.0 §3.3.2.1: an empty topic name is allowed only together with a Topic Alias.
        try MQTTTopicRules.validateName(topic, allowsEmpty: properties.topicAlias != nil)
        return PublishPacket(
            topic: topic, payload: reader.readRest(), qos: qos, retain: flags & 0b0001 != 0,
            dup: flags & 0b1000 != 0, packetID: packetID, properties: properties
        )
    }
}

extension PublishAckPacket {
    /// PUBACK, PUBREC, PUBREL, PUBCOMP (§3.4–3.7). In 5.0 the reason code and the
    /// property length may be left out when they are Success and empty (§3.4.2.1).
    func encodeBody(into body: inout ByteBuffer, type: MQTTPacketType, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        try body.writeMQTTPacketID(packetID)
        switch version {
        case .v3_1_1:
            guard reasonCode == .success else { throw .protocolError("\(type) reason codes need MQTT 5") }
            guard properties.isEmpty else { throw .propertiesNotSupportedInV311 }
        case .v5:
            try reasonCode.validate(for: type, version: version)
            if reasonCode == .success && properties.isEmpty { return }
            body.writeInteger(reasonCode.rawValue)
            if properties.isEmpty { return }
            try properties.encode(into: &body, context: .publishAck, packet: type)
        }
    }

    static func decodeBody(
        from reader: inout PacketReader,
        type: MQTTPacketType,
        version: MQTTProtocolVersion
    ) throws(MQTTCodecError) -> PublishAckPacket {
        let packetID = try reader.readPacketID()
        var packet = PublishAckPacket(packetID: packetID)
        if version == .v5 && !reader.isAtEnd {
            packet.reasonCode = MQTTReasonCode(try reader.readByte())
            try packet.reasonCode.validate(for: type, version: version)
            if !reader.isAtEnd {
                packet.properties = try MQTTProperties.decode(from: &reader, context: .publishAck, packet: type)
            }
        }
        try reader.expectEnd()
        return packet
    }
}
