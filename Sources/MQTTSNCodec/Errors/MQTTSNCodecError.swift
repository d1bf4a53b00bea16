/// Why a datagram could not be decoded as one MQTT-SN v1.2 message, or a
/// message could not be encoded.
///
/// A decoding error means the datagram is malformed; the gateway drops it and
/// counts it (SPEC §3). An encoding error means the value cannot be put on the
/// wire as it stands; nothing was written.
public enum MQTTSNCodecError: Error, Sendable, Hashable {
    /// The datagram ends before a field of its message does.
    case truncated
    /// The Length field (§5.2.1) differs from the number of bytes in the datagram.
    case lengthMismatch(declared: Int, actual: Int)
    /// The Length field is smaller than the Length and MsgType fields themselves (0 included).
    case invalidLength(Int)
    /// A MsgType the specification marks as reserved (§5.2.2, Table 3).
    case unknownMessageType(UInt8)
    /// TopicIdType 0b11, which §5.3.4 reserves.
    case reservedTopicIDType
    /// The CONNECT ProtocolId is not 0x01 (§5.3.8).
    case invalidProtocolID(UInt8)
    /// Bytes remain after the last field of a message of fixed size.
    case trailingBytes
    /// A client id, topic name or will topic is not well-formed UTF-8, or holds U+0000.
    case invalidUTF8
    /// A forwarder-encapsulated message (§5.5) that itself carries an encapsulation.
    case nestedEncapsulation
    /// The forwarder Ctrl radius does not fit its two bits (§5.5, Table 29).
    case invalidRadius(UInt8)
    /// A Wireless Node Id longer than the one-octet encapsulation Length allows (252 bytes).
    case wirelessNodeIDTooLong(Int)
    /// The message would be longer than the 65,535 bytes the Length field can express.
    case messageTooLong(Int)
}

extension MQTTSNCodecError: CustomStringConvertible {
    /// A one-line explanation a log can show.
    public var description: String {
        switch self {
        case .truncated: return "datagram ends before the message's fields do"
        case .lengthMismatch(let declared, let actual):
            return "length field says \(declared) bytes but the datagram holds \(actual)"
        case .invalidLength(let length): return "length \(length) is shorter than the message header"
        case .unknownMessageType(let type): return "reserved message type 0x\(hexByte(type))"
        case .reservedTopicIDType: return "topic id type 0b11 is reserved"
        case .invalidProtocolID(let id): return "protocol id 0x\(hexByte(id)) is not 0x01"
        case .trailingBytes: return "bytes left after the message's fields"
        case .invalidUTF8: return "string is not well-formed UTF-8 or contains U+0000"
        case .nestedEncapsulation: return "an encapsulated message may not carry another encapsulation"
        case .invalidRadius(let radius): return "forwarder radius \(radius) does not fit two bits"
        case .wirelessNodeIDTooLong(let count): return "wireless node id of \(count) bytes exceeds 252"
        case .messageTooLong(let count): return "message of \(count) bytes exceeds 65535"
        }
    }
}

private func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return digits.count == 1 ? "0" + digits : digits
}
