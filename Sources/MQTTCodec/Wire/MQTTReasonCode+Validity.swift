/// Which reason codes each packet may carry (MQTT 5.0 §3.4.2.1, §3.5.2.1, §3.6.2.1,
/// §3.7.2.1, §3.9.3, §3.11.3, §3.14.2.1; MQTT 3.1.1 §3.9.3 for SUBACK).
///
/// CONNACK is not checked: the uplink must be able to report any code a broker sends.
extension MQTTReasonCode {
    private static let publishAckCodes: Set<UInt8> = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
    private static let publishReleaseCodes: Set<UInt8> = [0x00, 0x92]
    private static let subAckCodesV5: Set<UInt8> = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2]
    private static let subAckCodesV311: Set<UInt8> = [0x00, 0x01, 0x02, 0x80]
    private static let unsubAckCodes: Set<UInt8> = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91]
    private static let disconnectCodes: Set<UInt8> = [
        0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
        0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
    ]

    /// Throws unless this code may appear in a packet of `type` on a `version` connection.
    func validate(for type: MQTTPacketType, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        let allowed: Set<UInt8>
        switch type {
        case .puback, .pubrec: allowed = Self.publishAckCodes
        case .pubrel, .pubcomp: allowed = Self.publishReleaseCodes
        case .suback: allowed = version == .v5 ? Self.subAckCodesV5 : Self.subAckCodesV311
        case .unsuback: allowed = Self.unsubAckCodes
        case .disconnect: allowed = Self.disconnectCodes
        default: return
        }
        guard allowed.contains(rawValue) else { throw .invalidReasonCode(rawValue, packet: type) }
    }
}
