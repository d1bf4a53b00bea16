import NIOCore

/// PUBLISH without properties — nearly every message Perch sends upstream —
/// measured arithmetically and written straight into the output buffer.
///
/// The general path builds the variable header in a buffer of its own to learn
/// the Remaining Length, which costs an allocation and a copy per message and,
/// for `encodedSize`, a whole encoding that is then thrown away. The checks and
/// errors are the same as the general path's (`encodeVariableHeader`).
extension PublishPacket {
    /// The Remaining Length (3.1.1 §3.3.1.4, 5.0 §3.3.1.4), after the checks.
    func remainingLengthWithoutProperties(version: MQTTProtocolVersion) throws(MQTTCodecError) -> Int {
        if dup && qos == .atMostOnce { throw .duplicateFlagWithQoS0 }  // [MQTT-3.3.1-2]
        // With no properties there is no Topic Alias, so the name may not be empty.
        try MQTTTopicRules.validateName(topic, allowsEmpty: false)
        let topicLength = topic.utf8.count
        guard topicLength <= ByteBuffer.mqttMaximumFieldLength else { throw .stringTooLong(topicLength) }
        // [MQTT-1.5.4-2]: U+0000 must not appear; Swift strings may hold it.
        guard !topic.utf8.contains(0) else { throw .invalidUTF8 }
        switch (qos, packetID) {
        case (.atMostOnce, nil), (.atLeastOnce, .some), (.exactlyOnce, .some): break
        case (.atMostOnce, .some): throw .unexpectedPacketIdentifier  // [MQTT-2.3.1-5]
        case (_, nil): throw .missingPacketIdentifier  // [MQTT-2.3.1-1]
        }
        let remainingLength =
            2 + topicLength
            + (packetID == nil ? 0 : 2)
            // 5.0 §3.3.2.3.1: the Property Length, one byte holding zero.
            + (version == .v5 ? 1 : 0)
            + payload.readableBytes
        // 3.1.1 §2.2.3 / 5.0 §2.1.4: the Remaining Length is at most 268,435,455.
        guard remainingLength <= VariableByteInteger.maximum else { throw .remainingLengthTooLarge(remainingLength) }
        return remainingLength
    }

    /// Writes the whole packet; `buffer` is untouched when a check fails.
    func encodeWithoutProperties(version: MQTTProtocolVersion, into buffer: inout ByteBuffer) throws(MQTTCodecError) {
        let remainingLength = try remainingLengthWithoutProperties(version: version)
        buffer.reserveCapacity(minimumWritableBytes: 1 + VariableByteInteger.byteCount(remainingLength) + remainingLength)
        buffer.writeInteger(MQTTPacketType.publish.rawValue << 4 | fixedHeaderFlags)
        try buffer.writeMQTTVariableByteInteger(remainingLength)
        buffer.writeInteger(UInt16(topic.utf8.count))
        buffer.writeString(topic)
        if let packetID { buffer.writeInteger(packetID) }
        if version == .v5 { buffer.writeInteger(UInt8(0)) }
        buffer.writeImmutableBuffer(payload)
    }
}
