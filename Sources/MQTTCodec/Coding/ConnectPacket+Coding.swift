import NIOCore

/// The CONNECT Flags byte (3.1.1 §3.1.2.3, 5.0 §3.1.2.3).
private enum ConnectFlags {
    static let reserved: UInt8 = 0x01
    static let cleanStart: UInt8 = 0x02
    static let will: UInt8 = 0x04
    static let willQoSShift: UInt8 = 3
    static let willRetain: UInt8 = 0x20
    static let password: UInt8 = 0x40
    static let username: UInt8 = 0x80
}

extension ConnectPacket {
    /// CONNECT is written at its own protocol level, as the server reads it.
    func encodeBody(into body: inout ByteBuffer) throws(MQTTCodecError) {
        // [MQTT-3.1.2-22]: 3.1.1 has no password without a user name; 5.0 §3.1.2.9 allows it.
        if version == .v3_1_1 && password != nil && username == nil {
            throw .protocolError("a password without a user name needs MQTT 5")
        }
        try body.writeMQTTString("MQTT")  // [MQTT-3.1.2-1]
        body.writeInteger(version.rawValue)
        var flags: UInt8 = cleanStart ? ConnectFlags.cleanStart : 0
        if let will {
            try MQTTTopicRules.validateName(will.topic)
            flags |= ConnectFlags.will | will.qos.rawValue << ConnectFlags.willQoSShift
            if will.retain { flags |= ConnectFlags.willRetain }
        }
        if password != nil { flags |= ConnectFlags.password }
        if username != nil { flags |= ConnectFlags.username }
        body.writeInteger(flags)
        body.writeInteger(keepAliveSeconds)
        try properties.encode(into: &body, version: version, context: .connect, packet: .connect)
        // Payload order: Client Identifier, Will Properties, Will Topic, Will Payload, User Name, Password (§3.1.3).
        try body.writeMQTTString(clientID)
        if let will {
            try will.properties.encode(into: &body, version: version, context: .will, packet: .connect)
            try body.writeMQTTString(will.topic)
            try body.writeMQTTBinary(will.payload)
        }
        if let username { try body.writeMQTTString(username) }
        if let password { try body.writeMQTTBinary(password) }
    }

    /// Reads a CONNECT according to the protocol level byte it carries.
    static func decodeBody(from reader: inout PacketReader) throws(MQTTCodecError) -> ConnectPacket {
        let name = try reader.readString()
        guard name == "MQTT" else { throw .invalidProtocolName(name) }
        let level = try reader.readByte()
        // [MQTT-3.1.2-2]: an unsupported level is answered with CONNACK 0x01 / 0x84 by a server.
        guard let version = MQTTProtocolVersion(rawValue: level) else { throw .unsupportedProtocolLevel(level) }
        let flags = try reader.readByte()
        try validate(flags: flags, version: version)
        let keepAlive = try reader.readUInt16()
        let properties = try MQTTProperties.decode(from: &reader, version: version, context: .connect, packet: .connect)
        let clientID = try reader.readString()
        var will: Will?
        if flags & ConnectFlags.will != 0 {
            let willProperties = try MQTTProperties.decode(from: &reader, version: version, context: .will, packet: .connect)
            let topic = try reader.readString()
            try MQTTTopicRules.validateName(topic)
            let payload = try reader.readBinaryBuffer()
            // invariant: validate(flags:) has rejected Will QoS 3.
            let qos = MQTTQoS(rawValue: (flags >> ConnectFlags.willQoSShift) & 0b11) ?? .atMostOnce
            will = Will(
                topic: topic, payload: payload, qos: qos,
                retain: flags & ConnectFlags.willRetain != 0, properties: willProperties
            )
        }
        let username: String? = if flags & ConnectFlags.username != 0 { try reader.readString() } else { nil }
        let password: [UInt8]? = if flags & ConnectFlags.password != 0 { try reader.readBinary() } else { nil }
        try reader.expectEnd()
        return ConnectPacket(
            version: version, clientID: clientID, cleanStart: flags & ConnectFlags.cleanStart != 0,
            keepAliveSeconds: keepAlive, username: username, password: password, will: will, properties: properties
        )
    }

    private static func validate(flags: UInt8, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        // [MQTT-3.1.2-3]: the reserved flag is 0.
        guard flags & ConnectFlags.reserved == 0 else { throw .invalidConnectFlags(flags) }
        let willQoS = (flags >> ConnectFlags.willQoSShift) & 0b11
        if flags & ConnectFlags.will == 0 {
            // [MQTT-3.1.2-13], [MQTT-3.1.2-15]: no will, so no Will QoS and no Will Retain.
            guard willQoS == 0, flags & ConnectFlags.willRetain == 0 else { throw .invalidConnectFlags(flags) }
        } else if willQoS == 3 {
            throw .invalidQoS  // [MQTT-3.1.2-14]
        }
        // [MQTT-3.1.2-22]: in 3.1.1 the password flag needs the user name flag.
        if version == .v3_1_1 && flags & ConnectFlags.password != 0 && flags & ConnectFlags.username == 0 {
            throw .invalidConnectFlags(flags)
        }
    }
}

extension ConnAckPacket {
    func encodeBody(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        // [MQTT-3.2.2-4] / 5.0 [MQTT-3.2.2-6]: a refused connection has no session.
        if sessionPresent && reasonCode != .success {
            throw .protocolError("CONNACK with session present and a failure code")
        }
        body.writeInteger(sessionPresent ? 1 as UInt8 : 0)
        body.writeInteger(reasonCode.rawValue)
        try properties.encode(into: &body, version: version, context: .connack, packet: .connack)
    }

    static func decodeBody(from reader: inout PacketReader, version: MQTTProtocolVersion) throws(MQTTCodecError) -> ConnAckPacket {
        let flags = try reader.readByte()
        guard flags & 0xFE == 0 else { throw .invalidConnAckFlags(flags) }  // [MQTT-3.2.2-1]
        let code = MQTTReasonCode(try reader.readByte())
        let sessionPresent = flags & 0x01 != 0
        if sessionPresent && code != .success {
            throw .protocolError("CONNACK with session present and a failure code")
        }
        // A broker that speaks only 3.1.1 answers a v5 CONNECT with 3.1.1's
        // two-byte refusal (return code 1, "unacceptable protocol version",
        // 3.1.1 §3.2.2.3), which has no property length. A refusal is read
        // without properties, so that the uplink can name the mismatch instead
        // of reporting a malformed packet.
        if version == .v5, code != .success, reader.isAtEnd {
            return ConnAckPacket(sessionPresent: false, reasonCode: code, properties: MQTTProperties())
        }
        let properties = try MQTTProperties.decode(from: &reader, version: version, context: .connack, packet: .connack)
        try reader.expectEnd()
        return ConnAckPacket(sessionPresent: sessionPresent, reasonCode: code, properties: properties)
    }
}
