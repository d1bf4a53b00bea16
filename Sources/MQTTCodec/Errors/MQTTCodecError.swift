/// Why a packet could not be decoded or encoded.
///
/// Decoding errors mean the peer sent a Malformed Packet or a Protocol Error
/// (MQTT 5.0 §4.13); the connection must be closed. Encoding errors mean the
/// value cannot be put on the wire as it stands; nothing was written.
public enum MQTTCodecError: Error, Equatable, Sendable {
    /// The Remaining Length (or another Variable Byte Integer in the fixed header)
    /// has a fifth byte or is not minimally encoded (5.0 §1.5.5, 3.1.1 §2.2.3).
    case malformedRemainingLength
    /// A Variable Byte Integer inside the packet is longer than 4 bytes or not minimal (5.0 §1.5.5).
    case malformedVariableByteInteger
    /// The whole packet (fixed header included) is larger than the allowed maximum, in bytes.
    case packetTooLarge(Int)
    /// The encoded body would exceed the 268,435,455 bytes a Remaining Length can express.
    case remainingLengthTooLarge(Int)
    /// The control packet type nibble is reserved in this protocol version (0, or 15 in 3.1.1).
    case invalidPacketType(UInt8)
    /// A packet type this codec does not model (AUTH, 5.0 §3.15).
    case unsupportedPacketType(MQTTPacketType)
    /// The fixed header flags are not the ones the packet type requires ([MQTT-2.2.2-1/2]).
    case reservedFlags(type: MQTTPacketType, flags: UInt8)
    /// A QoS of 3 ([MQTT-3.3.1-4], [MQTT-3.1.2-14], [MQTT-3-8.3-4]).
    case invalidQoS
    /// DUP set on a QoS 0 PUBLISH ([MQTT-3.3.1-2]).
    case duplicateFlagWithQoS0
    /// A string is not well-formed UTF-8 or contains U+0000 ([MQTT-1.5.3-1/2], 5.0 [MQTT-1.5.4-1/2]).
    case invalidUTF8
    /// A string is longer than 65,535 bytes of UTF-8 (§1.5.3 / 5.0 §1.5.4).
    case stringTooLong(Int)
    /// Binary Data is longer than 65,535 bytes (5.0 §1.5.6, 3.1.1 §3.1.3.4-5).
    case binaryTooLong(Int)
    /// A topic name is empty where it must not be, or holds a wildcard ([MQTT-3.3.2-2], [MQTT-4.7.3-1]).
    case invalidTopicName(String)
    /// A topic filter is empty or places a wildcard wrongly ([MQTT-4.7.1-1/2/3], [MQTT-4.7.3-1]).
    case invalidTopicFilter(String)
    /// A packet identifier of 0 ([MQTT-2.3.1-1]).
    case zeroPacketIdentifier
    /// A QoS 1 or 2 PUBLISH without a packet identifier ([MQTT-2.3.1-1]).
    case missingPacketIdentifier
    /// A QoS 0 PUBLISH with a packet identifier ([MQTT-2.3.1-5] / 5.0 [MQTT-2.2.1-2]).
    case unexpectedPacketIdentifier
    /// The CONNECT protocol name is not "MQTT" ([MQTT-3.1.2-1]).
    case invalidProtocolName(String)
    /// The CONNECT protocol level is neither 4 (3.1.1) nor 5 ([MQTT-3.1.2-2]).
    case unsupportedProtocolLevel(UInt8)
    /// The CONNECT flags break a rule of §3.1.2 (reserved bit, will or password flags).
    case invalidConnectFlags(UInt8)
    /// The CONNACK acknowledge flags have a reserved bit set ([MQTT-3.2.2-1]).
    case invalidConnAckFlags(UInt8)
    /// SUBSCRIBE options with reserved bits set or Retain Handling 3 ([MQTT-3-8.3-4], 5.0 [MQTT-3.8.3-5]).
    case invalidSubscriptionOptions(UInt8)
    /// A reason code that this packet type may not carry (5.0 §2.4 and each packet's table).
    case invalidReasonCode(UInt8, packet: MQTTPacketType)
    /// Properties on a packet of a 3.1.1 connection, where they do not exist.
    case propertiesNotSupportedInV311
    /// A property identifier that MQTT 5.0 §2.2.2.2 does not define.
    case unknownProperty(UInt8)
    /// A property given twice where it may appear only once (5.0 §2.2.2.2).
    case duplicateProperty(UInt8)
    /// A property that this packet may not carry (5.0 §2.2.2.2 table).
    case propertyNotAllowed(property: UInt8, packet: MQTTPacketType)
    /// A property value outside its allowed range (e.g. Topic Alias 0, Receive Maximum 0).
    case invalidPropertyValue(UInt8)
    /// Any other rule of the specification that the packet breaks.
    case protocolError(String)
    /// Bytes remain after the packet's declared contents (Remaining Length too long).
    case trailingBytes
    /// The packet's contents end before a field does (Remaining Length too short).
    case truncated
}

extension MQTTCodecError: CustomStringConvertible {
    /// A one-line explanation a log can show.
    public var description: String {
        switch self {
        case .malformedRemainingLength: return "malformed remaining length (more than 4 bytes or not minimal)"
        case .malformedVariableByteInteger: return "malformed variable byte integer (more than 4 bytes or not minimal)"
        case .packetTooLarge(let size): return "packet of \(size) bytes exceeds the maximum packet size"
        case .remainingLengthTooLarge(let size): return "remaining length \(size) exceeds 268435455"
        case .invalidPacketType(let type): return "reserved control packet type \(type)"
        case .unsupportedPacketType(let type): return "unsupported control packet type \(type)"
        case .reservedFlags(let type, let flags): return "invalid fixed header flags 0x\(String(flags, radix: 16)) for \(type)"
        case .invalidQoS: return "QoS 3 is malformed"
        case .duplicateFlagWithQoS0: return "DUP set on a QoS 0 PUBLISH"
        case .invalidUTF8: return "string is not well-formed UTF-8 or contains U+0000"
        case .stringTooLong(let count): return "string of \(count) bytes exceeds 65535"
        case .binaryTooLong(let count): return "binary data of \(count) bytes exceeds 65535"
        case .invalidTopicName(let topic): return "invalid topic name \"\(topic)\""
        case .invalidTopicFilter(let filter): return "invalid topic filter \"\(filter)\""
        case .zeroPacketIdentifier: return "packet identifier 0"
        case .missingPacketIdentifier: return "QoS 1/2 PUBLISH without packet identifier"
        case .unexpectedPacketIdentifier: return "QoS 0 PUBLISH with a packet identifier"
        case .invalidProtocolName(let name): return "protocol name \"\(name)\" is not MQTT"
        case .unsupportedProtocolLevel(let level): return "unsupported protocol level \(level)"
        case .invalidConnectFlags(let flags): return "invalid CONNECT flags 0x\(String(flags, radix: 16))"
        case .invalidConnAckFlags(let flags): return "invalid CONNACK flags 0x\(String(flags, radix: 16))"
        case .invalidSubscriptionOptions(let options): return "invalid subscription options 0x\(String(options, radix: 16))"
        case .invalidReasonCode(let code, let packet): return "reason code 0x\(String(code, radix: 16)) not allowed in \(packet)"
        case .propertiesNotSupportedInV311: return "properties are not allowed in MQTT 3.1.1"
        case .unknownProperty(let id): return "unknown property 0x\(String(id, radix: 16))"
        case .duplicateProperty(let id): return "property 0x\(String(id, radix: 16)) given more than once"
        case .propertyNotAllowed(let id, let packet): return "property 0x\(String(id, radix: 16)) not allowed in \(packet)"
        case .invalidPropertyValue(let id): return "invalid value for property 0x\(String(id, radix: 16))"
        case .protocolError(let text): return "protocol error: \(text)"
        case .trailingBytes: return "bytes left after the packet's contents"
        case .truncated: return "packet ends before its contents do"
        }
    }
}
