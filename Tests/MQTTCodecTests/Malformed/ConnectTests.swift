import MQTTCodec
import NIOCore
import Testing

/// CONNECT and CONNACK rules (§3.1, §3.2).
@Suite("Malformed CONNECT and CONNACK")
struct ConnectTests {
    /// A 3.1.1 CONNECT for client "c" with the given flags byte and nothing else in the payload.
    private func connect(flags: String, level: String = "04") -> String {
        "10 0D 00 04 4D 51 54 54 \(level) \(flags) 00 3C 00 01 63"
    }

    @Test("[MQTT-3.1.2-1] the protocol name must be MQTT")
    func protocolName() throws {
        try expectMalformed(
            "10 0F 00 06 4D 51 49 73 64 70 03 02 00 3C 00 01 63", version: .v3_1_1, .invalidProtocolName("MQIsdp")
        )
    }

    @Test("[MQTT-3.1.2-2] an unsupported protocol level is refused")
    func protocolLevel() throws {
        try expectMalformed(connect(flags: "02", level: "06"), version: .v5, .unsupportedProtocolLevel(6))
    }

    @Test("[MQTT-3.1.2-3] the reserved CONNECT flag must be 0")
    func reservedFlag() throws {
        try expectMalformed(connect(flags: "03"), version: .v3_1_1, .invalidConnectFlags(0x03))
    }

    @Test("[MQTT-3.1.2-13] Will QoS must be 0 without the Will Flag")
    func willQoSWithoutWill() throws {
        try expectMalformed(connect(flags: "0A"), version: .v3_1_1, .invalidConnectFlags(0x0A))
    }

    @Test("[MQTT-3.1.2-14] Will QoS 3 is malformed")
    func willQoS3() throws {
        try expectMalformed(connect(flags: "1E"), version: .v3_1_1, .invalidQoS)
    }

    @Test("[MQTT-3.1.2-15] Will Retain must be 0 without the Will Flag")
    func willRetainWithoutWill() throws {
        try expectMalformed(connect(flags: "22"), version: .v3_1_1, .invalidConnectFlags(0x22))
    }

    @Test("[MQTT-3.1.2-22] 3.1.1: a password needs a user name")
    func passwordWithoutUsername() throws {
        try expectMalformed(connect(flags: "42"), version: .v3_1_1, .invalidConnectFlags(0x42))
    }

    @Test("§3.1.3 a flag announcing a field the payload lacks is malformed")
    func missingUsername() throws {
        try expectMalformed(connect(flags: "82"), version: .v3_1_1, .truncated)
    }

    @Test("[MQTT-3.2.2-1] CONNACK reserved acknowledge flags must be 0")
    func connAckFlags() throws {
        try expectMalformed("20 02 02 00", version: .v3_1_1, .invalidConnAckFlags(0x02))
    }

    @Test("[MQTT-3.2.2-4] Session Present must be 0 with a failure code")
    func sessionPresentWithFailure() throws {
        try expectMalformed(
            "20 02 01 05", version: .v3_1_1, .protocolError("CONNACK with session present and a failure code")
        )
    }

    @Test("§3.2.2.3 a CONNACK code this version does not list is still decoded, to be reported")
    func unknownConnAckCode() throws {
        try expectDecode("20 02 00 06", version: .v3_1_1, as: .connack(ConnAckPacket(reasonCode: MQTTReasonCode(6))))
    }
}
