import NIOCore

extension DisconnectPacket {
    /// In 3.1.1 DISCONNECT is empty (§3.14). In 5.0 the reason code and the property
    /// length may be left out when they are Normal disconnection and empty (§3.14.2.1).
    func encodeBody(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        switch version {
        case .v3_1_1:
            guard reasonCode == .success else { throw .protocolError("DISCONNECT reason codes need MQTT 5") }
            guard properties.isEmpty else { throw .propertiesNotSupportedInV311 }
        case .v5:
            try reasonCode.validate(for: .disconnect, version: version)
            if reasonCode == .success && properties.isEmpty { return }
            body.writeInteger(reasonCode.rawValue)
            if properties.isEmpty { return }
            try properties.encode(into: &body, context: .disconnect, packet: .disconnect)
        }
    }

    static func decodeBody(from reader: inout PacketReader, version: MQTTProtocolVersion) throws(MQTTCodecError) -> DisconnectPacket {
        var packet = DisconnectPacket()
        if version == .v5 && !reader.isAtEnd {
            packet.reasonCode = MQTTReasonCode(try reader.readByte())
            try packet.reasonCode.validate(for: .disconnect, version: version)
            if !reader.isAtEnd {
                packet.properties = try MQTTProperties.decode(from: &reader, context: .disconnect, packet: .disconnect)
            }
        }
        try reader.expectEnd()
        return packet
    }
}
