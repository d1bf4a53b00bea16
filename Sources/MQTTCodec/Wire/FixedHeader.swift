import NIOCore

/// The fixed header of a control packet (3.1.1 §2.2, 5.0 §2.1.1).
struct FixedHeader {
    var type: MQTTPacketType
    var flags: UInt8
    var remainingLength: Int
    /// Bytes taken by the fixed header itself (1 + the Remaining Length's bytes).
    var byteCount: Int

    /// The whole packet's size on the wire.
    var packetSize: Int { byteCount + remainingLength }

    /// Reads the fixed header at the buffer's reader index without consuming anything.
    ///
    /// Returns nil while it is incomplete; throws as soon as the bytes present are
    /// known to be malformed, so a bad stream is refused before its body arrives.
    static func peek(in buffer: ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) -> FixedHeader? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        let type = try packetType(nibble: first >> 4, version: version)
        let flags = first & 0x0F
        try validateFlags(flags, for: type)
        guard let (length, count) = try VariableByteInteger.peek(
            in: buffer, at: buffer.readerIndex + 1, malformed: .malformedRemainingLength
        ) else {
            return nil
        }
        try validateLength(length, for: type, version: version)
        return FixedHeader(type: type, flags: flags, remainingLength: length, byteCount: 1 + count)
    }

    /// Packets of a fixed size are refused from their Remaining Length alone, before
    /// the body is buffered: PINGREQ and PINGRESP are empty (§3.12, §3.13); in 3.1.1
    /// CONNACK, PUBACK…PUBCOMP and UNSUBACK hold 2 bytes and DISCONNECT none (§3.2–3.14).
    private static func validateLength(_ length: Int, for type: MQTTPacketType, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        let expected: Int
        switch (type, version) {
        case (.pingreq, _), (.pingresp, _), (.disconnect, .v3_1_1): expected = 0
        case (.connack, .v3_1_1), (.puback, .v3_1_1), (.pubrec, .v3_1_1), (.pubrel, .v3_1_1),
            (.pubcomp, .v3_1_1), (.unsuback, .v3_1_1):
            expected = 2
        default: return
        }
        if length > expected { throw .trailingBytes }
        if length < expected { throw .truncated }
    }

    private static func packetType(nibble: UInt8, version: MQTTProtocolVersion) throws(MQTTCodecError) -> MQTTPacketType {
        guard let type = MQTTPacketType(rawValue: nibble) else { throw .invalidPacketType(nibble) }
        if type == .auth {
            // 3.1.1 §2.2.1: 15 is reserved; 5.0 §3.15: AUTH, which this codec does not model.
            if version == .v3_1_1 { throw .invalidPacketType(nibble) }
            throw .unsupportedPacketType(.auth)
        }
        return type
    }

    /// [MQTT-2.2.2-1/2]: the flags are fixed for every type but PUBLISH.
    static func requiredFlags(for type: MQTTPacketType) -> UInt8 {
        switch type {
        case .pubrel, .subscribe, .unsubscribe: return 0b0010
        default: return 0
        }
    }

    private static func validateFlags(_ flags: UInt8, for type: MQTTPacketType) throws(MQTTCodecError) {
        guard type == .publish else {
            guard flags == requiredFlags(for: type) else { throw .reservedFlags(type: type, flags: flags) }
            return
        }
        let qos = (flags >> 1) & 0b11
        guard qos != 3 else { throw .invalidQoS }  // [MQTT-3.3.1-4]
        if qos == 0 && flags & 0b1000 != 0 { throw .duplicateFlagWithQoS0 }  // [MQTT-3.3.1-2]
    }
}
