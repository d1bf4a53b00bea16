/// The ReturnCode octet of CONNACK, REGACK, PUBACK, SUBACK, WILLTOPICRESP and
/// WILLMSGRESP (MQTT-SN v1.2 §5.3.10, Table 5), kept as the byte that was sent.
///
/// A struct rather than an enum: 0x04…0xFF are reserved, and a peer that sends
/// one must still be reported faithfully rather than refused by the codec.
public struct MQTTSNReturnCode: RawRepresentable, Sendable, Hashable {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps the byte on the wire; every value is accepted.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Wraps the byte on the wire; every value is accepted.
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// Only 0x00 means the request was accepted (§5.3.10).
    public var isAccepted: Bool { rawValue == 0x00 }

    /// 0x00 Accepted (§5.3.10).
    public static let accepted = MQTTSNReturnCode(0x00)
    /// 0x01 Rejected: congestion (§5.3.10).
    public static let rejectedCongestion = MQTTSNReturnCode(0x01)
    /// 0x02 Rejected: invalid topic ID (§5.3.10).
    public static let rejectedInvalidTopicID = MQTTSNReturnCode(0x02)
    /// 0x03 Rejected: not supported (§5.3.10).
    public static let rejectedNotSupported = MQTTSNReturnCode(0x03)
}

extension MQTTSNReturnCode: CustomStringConvertible {
    /// The name the specification gives the code, or its value when reserved.
    public var description: String {
        switch rawValue {
        case 0x00: return "accepted"
        case 0x01: return "rejected: congestion"
        case 0x02: return "rejected: invalid topic ID"
        case 0x03: return "rejected: not supported"
        default:
            let digits = String(rawValue, radix: 16, uppercase: true)
            return "reserved return code 0x" + (digits.count == 1 ? "0" + digits : digits)
        }
    }
}
