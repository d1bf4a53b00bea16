import NIOCore

extension MQTTPacket {
    /// Writes this packet, fixed header included, for a connection speaking `version`.
    ///
    /// A CONNECT is written at its own `ConnectPacket.version`, the level it announces.
    /// Throws when the value cannot be put on the wire correctly (a missing or
    /// unexpected packet identifier, a string over 65,535 bytes, a wildcard in a
    /// topic name, properties on 3.1.1, …); `buffer` is then left as it was.
    public func encode(version: MQTTProtocolVersion, into buffer: inout ByteBuffer) throws(MQTTCodecError) {
        if case .publish(let packet) = self, packet.properties.isEmpty {
            try packet.encodeWithoutProperties(version: version, into: &buffer)
            return
        }
        let parts = try encodedParts(version: version)
        buffer.writeInteger(type.rawValue << 4 | parts.flags)
        try buffer.writeMQTTVariableByteInteger(parts.remainingLength)
        buffer.writeImmutableBuffer(parts.body)
        if let payload = parts.payload { buffer.writeImmutableBuffer(payload) }
    }

    /// The number of bytes `encode(version:into:)` would write, with the same
    /// checks and the same errors, without copying a PUBLISH payload: a client can
    /// refuse a message the broker could not take (Maximum Packet Size) when it is
    /// published rather than when it reaches the wire.
    public func encodedSize(version: MQTTProtocolVersion) throws(MQTTCodecError) -> Int {
        if case .publish(let packet) = self, packet.properties.isEmpty {
            let remainingLength = try packet.remainingLengthWithoutProperties(version: version)
            return 1 + VariableByteInteger.byteCount(remainingLength) + remainingLength
        }
        let remainingLength = try encodedParts(version: version).remainingLength
        return 1 + VariableByteInteger.byteCount(remainingLength) + remainingLength
    }

    /// The fixed-header flags, the body (variable header and, but for PUBLISH,
    /// payload) and the PUBLISH payload, checked and ready to write.
    private func encodedParts(version: MQTTProtocolVersion) throws(MQTTCodecError)
        -> (flags: UInt8, body: ByteBuffer, payload: ByteBuffer?, remainingLength: Int)
    {
        var body = ByteBuffer()
        var payload: ByteBuffer?
        var flags = FixedHeader.requiredFlags(for: type)
        switch self {
        case .connect(let packet): try packet.encodeBody(into: &body)
        case .connack(let packet): try packet.encodeBody(into: &body, version: version)
        case .publish(let packet):
            flags = packet.fixedHeaderFlags
            try packet.encodeVariableHeader(into: &body, version: version)
            payload = packet.payload
        case .puback(let packet), .pubrec(let packet), .pubrel(let packet), .pubcomp(let packet):
            try packet.encodeBody(into: &body, type: type, version: version)
        case .subscribe(let packet): try packet.encodeBody(into: &body, version: version)
        case .suback(let packet): try packet.encodeBody(into: &body, version: version)
        case .unsubscribe(let packet): try packet.encodeBody(into: &body, version: version)
        case .unsuback(let packet): try packet.encodeBody(into: &body, version: version)
        case .pingreq, .pingresp: break
        case .disconnect(let packet): try packet.encodeBody(into: &body, version: version)
        }
        let remainingLength = body.readableBytes + (payload?.readableBytes ?? 0)
        // 3.1.1 §2.2.3 / 5.0 §2.1.4: the Remaining Length is at most 268,435,455.
        guard remainingLength <= VariableByteInteger.maximum else {
            throw .remainingLengthTooLarge(remainingLength)
        }
        return (flags, body, payload, remainingLength)
    }
}
