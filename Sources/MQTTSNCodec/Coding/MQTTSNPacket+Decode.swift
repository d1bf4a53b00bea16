import NIOCore

extension MQTTSNPacket {
    /// Decodes one datagram as exactly one message (MQTT-SN v1.2 §5.2).
    ///
    /// The Length field, in either form, must equal the datagram's size and every
    /// byte must belong to a field; the long form is accepted even for a length
    /// below 256, which an encoder should not produce but a peer may.
    public static func decode(_ datagram: ByteBuffer) throws(MQTTSNCodecError) -> MQTTSNPacket {
        try decode(datagram, allowsEncapsulation: true)
    }

    private static func decode(_ datagram: ByteBuffer, allowsEncapsulation: Bool) throws(MQTTSNCodecError) -> MQTTSNPacket {
        var reader = DatagramReader(datagram)
        let actual = datagram.readableBytes
        // §5.2.1: one octet, or 0x01 followed by two octets; the length counts itself.
        let first = try reader.readByte()
        let declared: Int
        let headerLength: Int
        if first == 0x01 {
            declared = Int(try reader.readUInt16())
            headerLength = 4
        } else {
            declared = Int(first)
            headerLength = 2
        }
        guard declared >= headerLength else { throw .invalidLength(declared) }
        let typeByte = try reader.readByte()
        guard let type = MQTTSNMessageType(rawValue: typeByte) else { throw .unknownMessageType(typeByte) }

        if type == .encapsulated {
            guard allowsEncapsulation else { throw .nestedEncapsulation }
            // §5.5: here Length covers only the forwarder header, up to the Wireless Node Id.
            guard declared > headerLength else { throw .invalidLength(declared) }
            guard declared <= actual else { throw .lengthMismatch(declared: declared, actual: actual) }
            let ctrl = try reader.readByte()
            let nodeID = try reader.readSlice(length: declared - headerLength - 1)
            let inner = try decode(reader.readRest(), allowsEncapsulation: false)
            return .encapsulated(MQTTSNEncapsulation(
                radius: ctrl & 0b11, // §5.5 Table 29: the other Ctrl bits are reserved.
                wirelessNodeID: Array(nodeID.readableBytesView),
                message: inner
            ))
        }

        guard declared == actual else { throw .lengthMismatch(declared: declared, actual: actual) }
        return try decodeBody(type, &reader)
    }

    private static func decodeBody(
        _ type: MQTTSNMessageType, _ reader: inout DatagramReader
    ) throws(MQTTSNCodecError) -> MQTTSNPacket {
        switch type {
        case .advertise:
            let advertise = MQTTSNAdvertise(gatewayID: try reader.readByte(), durationSeconds: try reader.readUInt16())
            try reader.expectEnd()
            return .advertise(advertise)
        case .searchGateway:
            let radius = try reader.readByte()
            try reader.expectEnd()
            return .searchGateway(radius: radius)
        case .gatewayInfo:
            let gatewayID = try reader.readByte()
            return .gatewayInfo(MQTTSNGatewayInfo(gatewayID: gatewayID, gatewayAddress: Array(reader.readRest().readableBytesView)))
        case .connect:
            return .connect(try decodeConnect(&reader))
        case .connAck:
            return .connAck(try readReturnCodeOnly(&reader))
        case .willTopicRequest:
            try reader.expectEnd()
            return .willTopicRequest
        case .willTopic:
            return .willTopic(try decodeWillTopic(&reader))
        case .willMessageRequest:
            try reader.expectEnd()
            return .willMessageRequest
        case .willMessage:
            return .willMessage(reader.readRest())
        case .register:
            let topicID = try reader.readUInt16()
            let messageID = try reader.readUInt16()
            return .register(MQTTSNRegister(topicID: topicID, messageID: messageID, topicName: try reader.readRestString()))
        case .regAck:
            return .regAck(try decodeTopicAck(&reader))
        case .publish:
            return .publish(try decodePublish(&reader))
        case .pubAck:
            return .pubAck(try decodeTopicAck(&reader))
        case .pubComp:
            return .pubComp(messageID: try readMessageIDOnly(&reader))
        case .pubRec:
            return .pubRec(messageID: try readMessageIDOnly(&reader))
        case .pubRel:
            return .pubRel(messageID: try readMessageIDOnly(&reader))
        case .subscribe:
            let flags = MQTTSNFlags(rawValue: try reader.readByte())
            let messageID = try reader.readUInt16()
            let topic = try decodeSubscriptionTopic(try flags.topicIDType(), &reader)
            return .subscribe(MQTTSNSubscribe(dup: flags.dup, qos: flags.qos, messageID: messageID, topic: topic))
        case .subAck:
            let flags = MQTTSNFlags(rawValue: try reader.readByte())
            let subAck = MQTTSNSubAck(
                qos: flags.qos, topicID: try reader.readUInt16(), messageID: try reader.readUInt16(),
                returnCode: MQTTSNReturnCode(try reader.readByte())
            )
            try reader.expectEnd()
            return .subAck(subAck)
        case .unsubscribe:
            let flags = MQTTSNFlags(rawValue: try reader.readByte())
            let messageID = try reader.readUInt16()
            let topic = try decodeSubscriptionTopic(try flags.topicIDType(), &reader)
            return .unsubscribe(MQTTSNUnsubscribe(messageID: messageID, topic: topic))
        case .unsubAck:
            return .unsubAck(messageID: try readMessageIDOnly(&reader))
        case .pingRequest:
            // §5.4.19: the ClientId is optional; present only when a sleeping client wakes.
            return .pingRequest(clientID: reader.isAtEnd ? nil : try reader.readRestString())
        case .pingResponse:
            try reader.expectEnd()
            return .pingResponse
        case .disconnect:
            // §5.4.21: the Duration is optional; present only when the client goes to sleep.
            if reader.isAtEnd { return .disconnect(durationSeconds: nil) }
            let duration = try reader.readUInt16()
            try reader.expectEnd()
            return .disconnect(durationSeconds: duration)
        case .willTopicUpdate:
            return .willTopicUpdate(try decodeWillTopic(&reader))
        case .willMessageUpdate:
            return .willMessageUpdate(reader.readRest())
        case .willTopicResponse:
            return .willTopicResponse(try readReturnCodeOnly(&reader))
        case .willMessageResponse:
            return .willMessageResponse(try readReturnCodeOnly(&reader))
        case .encapsulated:
            // invariant: `decode` handles encapsulation before it reaches the body.
            throw .nestedEncapsulation
        }
    }

    private static func decodeConnect(_ reader: inout DatagramReader) throws(MQTTSNCodecError) -> MQTTSNConnect {
        let flags = MQTTSNFlags(rawValue: try reader.readByte())
        let protocolID = try reader.readByte()
        // §5.3.8: 0x01 is the only ProtocolId, standing for name and version.
        guard protocolID == 0x01 else { throw .invalidProtocolID(protocolID) }
        let duration = try reader.readUInt16()
        return MQTTSNConnect(
            will: flags.will, cleanSession: flags.cleanSession,
            durationSeconds: duration, clientID: try reader.readRestString()
        )
    }

    /// WILLTOPIC and WILLTOPICUPD: exactly two octets (no Flags, no WillTopic) is the
    /// empty form that deletes the will (§5.4.7, §5.4.22).
    private static func decodeWillTopic(_ reader: inout DatagramReader) throws(MQTTSNCodecError) -> MQTTSNWillTopic? {
        if reader.isAtEnd { return nil }
        let flags = MQTTSNFlags(rawValue: try reader.readByte())
        return MQTTSNWillTopic(qos: flags.qos, retain: flags.retain, topic: try reader.readRestString())
    }

    private static func decodePublish(_ reader: inout DatagramReader) throws(MQTTSNCodecError) -> MQTTSNPublish {
        let flags = MQTTSNFlags(rawValue: try reader.readByte())
        let idType = try flags.topicIDType()
        let high = try reader.readByte()
        let low = try reader.readByte()
        let topic: MQTTSNTopic
        switch idType {
        case .normal: topic = .normal(UInt16(high) << 8 | UInt16(low))
        case .predefined: topic = .predefined(UInt16(high) << 8 | UInt16(low))
        case .shortName: topic = .shortName(MQTTSNShortTopicName(high, low))
        }
        let messageID = try reader.readUInt16()
        return MQTTSNPublish(
            dup: flags.dup, qos: flags.qos, retain: flags.retain,
            topic: topic, messageID: messageID, payload: reader.readRest()
        )
    }

    /// SUBSCRIBE and UNSUBSCRIBE: a topic name runs to the end; an id or short name is two octets.
    private static func decodeSubscriptionTopic(
        _ idType: MQTTSNTopicIDType, _ reader: inout DatagramReader
    ) throws(MQTTSNCodecError) -> MQTTSNSubscriptionTopic {
        switch idType {
        case .normal:
            return .name(try reader.readRestString())
        case .predefined:
            let id = try reader.readUInt16()
            try reader.expectEnd()
            return .predefined(id)
        case .shortName:
            let name = MQTTSNShortTopicName(try reader.readByte(), try reader.readByte())
            try reader.expectEnd()
            return .shortName(name)
        }
    }

    private static func decodeTopicAck(_ reader: inout DatagramReader) throws(MQTTSNCodecError) -> MQTTSNTopicAck {
        let ack = MQTTSNTopicAck(
            topicID: try reader.readUInt16(), messageID: try reader.readUInt16(),
            returnCode: MQTTSNReturnCode(try reader.readByte())
        )
        try reader.expectEnd()
        return ack
    }

    private static func readMessageIDOnly(_ reader: inout DatagramReader) throws(MQTTSNCodecError) -> UInt16 {
        let messageID = try reader.readUInt16()
        try reader.expectEnd()
        return messageID
    }

    private static func readReturnCodeOnly(_ reader: inout DatagramReader) throws(MQTTSNCodecError) -> MQTTSNReturnCode {
        let code = MQTTSNReturnCode(try reader.readByte())
        try reader.expectEnd()
        return code
    }
}
