import NIOCore

extension MQTTSNPacket {
    /// The bytes after Length and MsgType, with every field checked for encoding.
    func bodyLength() throws(MQTTSNCodecError) -> Int {
        switch self {
        case .advertise: return 3
        case .searchGateway: return 1
        case .gatewayInfo(let info): return 1 + info.gatewayAddress.count
        case .connect(let connect): return 4 + (try utf8LengthWithoutNull(connect.clientID))
        case .connAck, .willTopicResponse, .willMessageResponse: return 1
        case .willTopicRequest, .willMessageRequest, .pingResponse: return 0
        case .willTopic(let will), .willTopicUpdate(let will):
            guard let will else { return 0 }
            return 1 + (try utf8LengthWithoutNull(will.topic))
        case .willMessage(let message), .willMessageUpdate(let message): return message.readableBytes
        case .register(let register): return 4 + (try utf8LengthWithoutNull(register.topicName))
        case .regAck, .pubAck: return 5
        case .publish(let publish): return 5 + publish.payload.readableBytes
        case .pubComp, .pubRec, .pubRel, .unsubAck: return 2
        case .subscribe(let subscribe): return 3 + (try subscribe.topic.checkedLength())
        case .subAck: return 6
        case .unsubscribe(let unsubscribe): return 3 + (try unsubscribe.topic.checkedLength())
        case .pingRequest(let clientID):
            guard let clientID else { return 0 }
            return try utf8LengthWithoutNull(clientID)
        case .disconnect(let duration): return duration == nil ? 0 : 2
        case .encapsulated:
            // invariant: encodedLength measures encapsulations itself.
            return 0
        }
    }
}

extension MQTTSNSubscriptionTopic {
    func checkedLength() throws(MQTTSNCodecError) -> Int {
        switch self {
        case .name(let name): return try utf8LengthWithoutNull(name)
        case .predefined, .shortName: return 2
        }
    }
}

extension MQTTSNEncapsulation {
    /// Length, MsgType, Ctrl and the Wireless Node Id: the part the one-octet Length covers (§5.5).
    func headerLength() throws(MQTTSNCodecError) -> Int {
        guard radius <= 0b11 else { throw .invalidRadius(radius) }
        guard wirelessNodeID.count <= 252 else { throw .wirelessNodeIDTooLong(wirelessNodeID.count) }
        if case .encapsulated = message { throw .nestedEncapsulation }
        return 3 + wirelessNodeID.count
    }

    func writeHeader(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(truncatingIfNeeded: 3 + wirelessNodeID.count))
        buffer.writeInteger(MQTTSNMessageType.encapsulated.rawValue)
        buffer.writeInteger(radius)
        buffer.writeBytes(wirelessNodeID)
    }
}

/// The UTF-8 length of a string the decoder would accept back: no U+0000.
private func utf8LengthWithoutNull(_ string: String) throws(MQTTSNCodecError) -> Int {
    guard !string.utf8.contains(0) else { throw .invalidUTF8 }
    return string.utf8.count
}
