import NIOCore

extension MQTTPacket {
    /// The largest packet MQTT can express: a 5-byte fixed header and 268,435,455 bytes.
    public static let maximumPossiblePacketSize = 268_435_460

    /// Reads one packet from the front of `buffer`.
    ///
    /// Returns nil, consuming nothing, while `buffer` does not yet hold a whole packet.
    /// Otherwise consumes exactly one packet and returns it. Throws as soon as the
    /// bytes are known to be malformed, even before the whole packet has arrived
    /// (a fifth Remaining Length byte, a declared size above `maximumPacketSize`,
    /// reserved flags); `buffer` is then left as it was.
    ///
    /// A CONNECT is read according to its own protocol level byte (so a test or a
    /// fake broker can read it server-side); every other packet according to `version`.
    public static func decode(
        from buffer: inout ByteBuffer,
        version: MQTTProtocolVersion,
        maximumPacketSize: Int = 268_435_460
    ) throws(MQTTCodecError) -> MQTTPacket? {
        guard let header = try FixedHeader.peek(in: buffer, version: version) else { return nil }
        // MQTT 5.0 §3.1.2.11.4: the Maximum Packet Size counts the whole packet.
        guard header.packetSize <= maximumPacketSize else { throw .packetTooLarge(header.packetSize) }
        guard let body = buffer.getSlice(at: buffer.readerIndex + header.byteCount, length: header.remainingLength) else {
            return nil
        }
        var reader = PacketReader(body)
        let packet = try decodeBody(header: header, from: &reader, version: version)
        buffer.moveReaderIndex(forwardBy: header.packetSize)
        return packet
    }

    private static func decodeBody(
        header: FixedHeader,
        from reader: inout PacketReader,
        version: MQTTProtocolVersion
    ) throws(MQTTCodecError) -> MQTTPacket {
        switch header.type {
        case .connect: return .connect(try ConnectPacket.decodeBody(from: &reader))
        case .connack: return .connack(try ConnAckPacket.decodeBody(from: &reader, version: version))
        case .publish: return .publish(try PublishPacket.decodeBody(flags: header.flags, from: &reader, version: version))
        case .puback: return .puback(try PublishAckPacket.decodeBody(from: &reader, type: .puback, version: version))
        case .pubrec: return .pubrec(try PublishAckPacket.decodeBody(from: &reader, type: .pubrec, version: version))
        case .pubrel: return .pubrel(try PublishAckPacket.decodeBody(from: &reader, type: .pubrel, version: version))
        case .pubcomp: return .pubcomp(try PublishAckPacket.decodeBody(from: &reader, type: .pubcomp, version: version))
        case .subscribe: return .subscribe(try SubscribePacket.decodeBody(from: &reader, version: version))
        case .suback: return .suback(try SubAckPacket.decodeBody(from: &reader, version: version))
        case .unsubscribe: return .unsubscribe(try UnsubscribePacket.decodeBody(from: &reader, version: version))
        case .unsuback: return .unsuback(try UnsubAckPacket.decodeBody(from: &reader, version: version))
        case .pingreq:
            try reader.expectEnd()
            return .pingreq
        case .pingresp:
            try reader.expectEnd()
            return .pingresp
        case .disconnect: return .disconnect(try DisconnectPacket.decodeBody(from: &reader, version: version))
        case .auth: throw .unsupportedPacketType(.auth)
        }
    }
}
