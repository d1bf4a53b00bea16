import MQTTCodec
import NIOCore
import Testing
import PerchTestKit

/// Fixed header rules, checked before the body arrives.
@Suite("Malformed fixed headers")
struct FixedHeaderTests {
    @Test("[MQTT-3.3.1-4] QoS 3 is malformed, known from the first byte")
    func publishQoS3() throws {
        try expectMalformed("36", version: .v3_1_1, .invalidQoS)
        try expectMalformed("36 03 00 01 74", version: .v5, .invalidQoS)
    }

    @Test("[MQTT-3.3.1-2] DUP must be 0 on a QoS 0 PUBLISH")
    func dupOnQoS0() throws {
        try expectMalformed("38 05 00 01 74 68 69", version: .v3_1_1, .duplicateFlagWithQoS0)
    }

    @Test("[MQTT-2.2.2-2] PUBREL, SUBSCRIBE and UNSUBSCRIBE must have flags 0010")
    func flagsOfPubRelSubscribeUnsubscribe() throws {
        try expectMalformed("60 02 00 01", version: .v3_1_1, .reservedFlags(type: .pubrel, flags: 0))
        try expectMalformed("80 06 00 01 00 01 61 00", version: .v3_1_1, .reservedFlags(type: .subscribe, flags: 0))
        try expectMalformed("A0 05 00 01 00 01 61", version: .v5, .reservedFlags(type: .unsubscribe, flags: 0))
    }

    @Test("[MQTT-2.2.2-1] reserved flags of the other packet types must be 0", arguments: [
        ("11", MQTTPacketType.connect, UInt8(1)), ("28", .connack, 8), ("41", .puback, 1), ("52", .pubrec, 2),
        ("74", .pubcomp, 4), ("92", .suback, 2), ("B1", .unsuback, 1), ("C2", .pingreq, 2), ("DF", .pingresp, 15),
        ("E1", .disconnect, 1),
    ])
    func reservedFlags(firstByte: String, type: MQTTPacketType, flags: UInt8) throws {
        try expectMalformed(firstByte + " 00", version: .v5, .reservedFlags(type: type, flags: flags))
    }

    @Test("§2.2.1 packet type 0 is reserved")
    func packetTypeZero() throws {
        try expectMalformed("00 00", version: .v3_1_1, .invalidPacketType(0))
    }

    @Test("3.1.1 §2.2.1 packet type 15 is reserved; 5.0 §3.15 AUTH is not modelled")
    func packetTypeFifteen() throws {
        try expectMalformed("F0 00", version: .v3_1_1, .invalidPacketType(15))
        try expectMalformed("F0 00", version: .v5, .unsupportedPacketType(.auth))
    }

    @Test("§1.5.5 / §2.2.3 a fifth Remaining Length byte is malformed, known before it arrives")
    func fifthRemainingLengthByte() throws {
        try expectMalformed("30 FF FF FF FF", version: .v3_1_1, .malformedRemainingLength)
        try expectMalformed("30 FF FF FF FF 01", version: .v5, .malformedRemainingLength)
    }

    @Test("[MQTT-1.5.5-1] the Remaining Length must use the fewest bytes")
    func nonMinimalRemainingLength() throws {
        try expectMalformed("C0 80 00", version: .v5, .malformedRemainingLength)
        try expectMalformed("30 83 80 00", version: .v3_1_1, .malformedRemainingLength)
    }

    @Test("§2.2.3 four Remaining Length bytes with the continuation bit are incomplete, not malformed")
    func fourContinuationBytesAreIncomplete() throws {
        var input = try buffer(hex: "30 FF FF FF")
        #expect(try MQTTPacket.decode(from: &input, version: .v5) == nil)
        #expect(input.readableBytes == 4)
    }

    @Test("§3.12 a PINGREQ that declares a body is refused from its fixed header")
    func pingWithBody() throws {
        try expectMalformed("C0 05", version: .v5, .trailingBytes)
    }

    @Test("3.1.1 §3.4 a PUBACK declaring fewer than 2 bytes is refused from its fixed header")
    func shortPubAck() throws {
        try expectMalformed("40 01", version: .v3_1_1, .truncated)
        try expectMalformed("20 03", version: .v3_1_1, .trailingBytes)
    }
}
