import NIOCore

extension UnsubscribePacket {
    func encodeBody(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        guard !topicFilters.isEmpty else { throw .protocolError("UNSUBSCRIBE without a topic filter") }  // [MQTT-3.10.3-2]
        try body.writeMQTTPacketID(packetID)
        try properties.encode(into: &body, version: version, context: .unsubscribe, packet: .unsubscribe)
        for filter in topicFilters {
            try MQTTTopicRules.validateFilter(filter)
            try body.writeMQTTString(filter)
        }
    }

    static func decodeBody(from reader: inout PacketReader, version: MQTTProtocolVersion) throws(MQTTCodecError) -> UnsubscribePacket {
        let packetID = try reader.readPacketID()
        let properties = try MQTTProperties.decode(
            from: &reader, version: version, context: .unsubscribe, packet: .unsubscribe
        )
        var filters: [String] = []
        while !reader.isAtEnd {
            let filter = try reader.readString()
            try MQTTTopicRules.validateFilter(filter)
            filters.append(filter)
        }
        guard !filters.isEmpty else { throw .protocolError("UNSUBSCRIBE without a topic filter") }
        return UnsubscribePacket(packetID: packetID, topicFilters: filters, properties: properties)
    }
}

extension UnsubAckPacket {
    func encodeBody(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        try body.writeMQTTPacketID(packetID)
        switch version {
        case .v3_1_1:
            // 3.1.1 §3.11: UNSUBACK is only the packet identifier.
            guard reasonCodes.isEmpty else { throw .protocolError("UNSUBACK reason codes need MQTT 5") }
            guard properties.isEmpty else { throw .propertiesNotSupportedInV311 }
        case .v5:
            guard !reasonCodes.isEmpty else { throw .protocolError("UNSUBACK without a reason code") }  // §3.11.3
            try properties.encode(into: &body, context: .unsuback, packet: .unsuback)
            for code in reasonCodes {
                try code.validate(for: .unsuback, version: version)
                body.writeInteger(code.rawValue)
            }
        }
    }

    static func decodeBody(from reader: inout PacketReader, version: MQTTProtocolVersion) throws(MQTTCodecError) -> UnsubAckPacket {
        let packetID = try reader.readPacketID()
        guard version == .v5 else {
            try reader.expectEnd()
            return UnsubAckPacket(packetID: packetID)
        }
        let properties = try MQTTProperties.decode(from: &reader, context: .unsuback, packet: .unsuback)
        var codes: [MQTTReasonCode] = []
        while !reader.isAtEnd {
            let code = MQTTReasonCode(try reader.readByte())
            try code.validate(for: .unsuback, version: version)
            codes.append(code)
        }
        guard !codes.isEmpty else { throw .protocolError("UNSUBACK without a reason code") }
        return UnsubAckPacket(packetID: packetID, reasonCodes: codes, properties: properties)
    }
}
