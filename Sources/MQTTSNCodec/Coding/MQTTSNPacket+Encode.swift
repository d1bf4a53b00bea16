import NIOCore

extension MQTTSNPacket {
    /// Appends the message to `buffer` as one datagram's bytes (MQTT-SN v1.2 §5.2).
    ///
    /// The one-octet Length is used whenever the whole message fits in 255 bytes,
    /// the three-octet form otherwise (§5.2.1). On error nothing is written.
    public func encode(into buffer: inout ByteBuffer) throws(MQTTSNCodecError) {
        // Everything is checked before the first byte is written.
        let total = try encodedLength()
        let start = buffer.writerIndex
        buffer.reserveCapacity(minimumWritableBytes: total)
        writeUnchecked(into: &buffer)
        // invariant: `encodedLength` and `writeUnchecked` describe the same layout.
        assert(buffer.writerIndex - start == total, "encoded length disagrees with the bytes written")
    }

    /// The number of bytes `encode(into:)` writes; throws what encoding would throw.
    public func encodedLength() throws(MQTTSNCodecError) -> Int {
        if case .encapsulated(let encapsulation) = self {
            return try encapsulation.headerLength() + encapsulation.message.encodedLength()
        }
        let body = try bodyLength()
        let total = body + 2 <= 255 ? body + 2 : body + 4
        guard total <= Int(UInt16.max) else { throw .messageTooLong(total) }
        return total
    }

    private func writeUnchecked(into buffer: inout ByteBuffer) {
        if case .encapsulated(let encapsulation) = self {
            encapsulation.writeHeader(into: &buffer)
            encapsulation.message.writeUnchecked(into: &buffer)
            return
        }
        // invariant: bodyLength succeeded in encodedLength, so this cannot throw here.
        let body = (try? bodyLength()) ?? 0
        if body + 2 <= 255 {
            buffer.writeInteger(UInt8(body + 2))
        } else {
            buffer.writeInteger(UInt8(0x01))
            buffer.writeInteger(UInt16(truncatingIfNeeded: body + 4), endianness: .big)
        }
        buffer.writeInteger(messageType.rawValue)
        writeBody(into: &buffer)
    }

    private func writeBody(into buffer: inout ByteBuffer) {
        switch self {
        case .advertise(let advertise):
            buffer.writeInteger(advertise.gatewayID)
            buffer.writeInteger(advertise.durationSeconds, endianness: .big)
        case .searchGateway(let radius):
            buffer.writeInteger(radius)
        case .gatewayInfo(let info):
            buffer.writeInteger(info.gatewayID)
            buffer.writeBytes(info.gatewayAddress)
        case .connect(let connect):
            buffer.writeInteger(MQTTSNFlags(will: connect.will, cleanSession: connect.cleanSession).rawValue)
            buffer.writeInteger(UInt8(0x01)) // §5.3.8 ProtocolId
            buffer.writeInteger(connect.durationSeconds, endianness: .big)
            buffer.writeString(connect.clientID)
        case .connAck(let code), .willTopicResponse(let code), .willMessageResponse(let code):
            buffer.writeInteger(code.rawValue)
        case .willTopicRequest, .willMessageRequest, .pingResponse:
            break
        case .willTopic(let will), .willTopicUpdate(let will):
            if let will {
                buffer.writeInteger(MQTTSNFlags(qos: will.qos, retain: will.retain).rawValue)
                buffer.writeString(will.topic)
            }
        case .willMessage(let message), .willMessageUpdate(let message):
            buffer.writeImmutableBuffer(message)
        case .register(let register):
            buffer.writeInteger(register.topicID, endianness: .big)
            buffer.writeInteger(register.messageID, endianness: .big)
            buffer.writeString(register.topicName)
        case .regAck(let ack), .pubAck(let ack):
            buffer.writeInteger(ack.topicID, endianness: .big)
            buffer.writeInteger(ack.messageID, endianness: .big)
            buffer.writeInteger(ack.returnCode.rawValue)
        case .publish(let publish):
            writePublish(publish, into: &buffer)
        case .pubComp(let messageID), .pubRec(let messageID), .pubRel(let messageID), .unsubAck(let messageID):
            buffer.writeInteger(messageID, endianness: .big)
        case .subscribe(let subscribe):
            let flags = MQTTSNFlags(
                dup: subscribe.dup, qos: subscribe.qos, topicIDType: subscribe.topic.topicIDType
            )
            buffer.writeInteger(flags.rawValue)
            buffer.writeInteger(subscribe.messageID, endianness: .big)
            subscribe.topic.write(into: &buffer)
        case .subAck(let subAck):
            buffer.writeInteger(MQTTSNFlags(qos: subAck.qos).rawValue)
            buffer.writeInteger(subAck.topicID, endianness: .big)
            buffer.writeInteger(subAck.messageID, endianness: .big)
            buffer.writeInteger(subAck.returnCode.rawValue)
        case .unsubscribe(let unsubscribe):
            buffer.writeInteger(MQTTSNFlags(topicIDType: unsubscribe.topic.topicIDType).rawValue)
            buffer.writeInteger(unsubscribe.messageID, endianness: .big)
            unsubscribe.topic.write(into: &buffer)
        case .pingRequest(let clientID):
            if let clientID { buffer.writeString(clientID) }
        case .disconnect(let duration):
            if let duration { buffer.writeInteger(duration, endianness: .big) }
        case .encapsulated:
            // invariant: writeUnchecked writes encapsulations itself.
            break
        }
    }

    private func writePublish(_ publish: MQTTSNPublish, into buffer: inout ByteBuffer) {
        let idType: MQTTSNTopicIDType
        let topicField: UInt16
        switch publish.topic {
        case .normal(let id): (idType, topicField) = (.normal, id)
        case .predefined(let id): (idType, topicField) = (.predefined, id)
        case .shortName(let name): (idType, topicField) = (.shortName, name.rawValue)
        }
        let flags = MQTTSNFlags(dup: publish.dup, qos: publish.qos, retain: publish.retain, topicIDType: idType)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(topicField, endianness: .big)
        buffer.writeInteger(publish.messageID, endianness: .big)
        buffer.writeImmutableBuffer(publish.payload)
    }
}

extension MQTTSNSubscriptionTopic {
    var topicIDType: MQTTSNTopicIDType {
        switch self {
        case .name: return .normal
        case .predefined: return .predefined
        case .shortName: return .shortName
        }
    }

    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .name(let name): buffer.writeString(name)
        case .predefined(let id): buffer.writeInteger(id, endianness: .big)
        case .shortName(let name): buffer.writeInteger(name.rawValue, endianness: .big)
        }
    }
}
