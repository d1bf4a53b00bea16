import MQTTSNCodec
import NIOCore
import Testing
import PerchTestKit

/// The two forms of the Length field (MQTT-SN v1.2 §5.2.1) and the forwarder
/// encapsulation (§5.5).
@Suite("MQTT-SN vectors: length forms, forwarder encapsulation")
struct FramingVectorTests {
    /// A QoS 0 PUBLISH to normal topic id 1 whose data is `count` bytes of 0xAB.
    private func publish(payloadCount count: Int) -> MQTTSNPacket {
        .publish(MQTTSNPublish(topic: .normal(1), payload: ByteBuffer(repeating: 0xAB, count: count)))
    }

    private func payloadHex(_ count: Int) -> String {
        String(repeating: " AB", count: count)
    }

    @Test("§5.2.1 a message of exactly 255 octets keeps the one-octet Length")
    func shortFormAt255() throws {
        // 2 (header) + 5 (Flags, TopicId, MsgId) + 248 = 255.
        try expectVector(publish(payloadCount: 248), "FF 0C 00 00 01 00 00" + payloadHex(248))
    }

    @Test("§5.2.1 a message of 256 octets or more takes 0x01 and two octets: 256 + 2 = 258")
    func longFormFrom256() throws {
        // One more data byte no longer fits 255 with a one-octet Length; the three-octet
        // form adds two bytes, so the total is 2 + 5 + 249 + 2 = 258 = 0x0102.
        try expectVector(publish(payloadCount: 249), "01 01 02 0C 00 00 01 00 00" + payloadHex(249))
    }

    @Test("§5.2.1 a 309-octet PUBLISH with the three-octet Length")
    func longForm() throws {
        try expectVector(publish(payloadCount: 300), "01 01 35 0C 00 00 01 00 00" + payloadHex(300))
    }

    @Test("§5.2.1 the three-octet Length with a value below 256 is accepted on decode, never produced")
    func longFormBelow256() throws {
        try expectDecodes("01 00 04 17", to: .pingResponse)
        try expectDecodes("01 00 0B 0C 00 00 01 00 00 68 69", to: .publish(MQTTSNPublish(topic: .normal(1), payload: payload("hi"))))
        var encoded = ByteBuffer()
        try MQTTSNPacket.pingResponse.encode(into: &encoded)
        #expect(hex(encoded) == "02 17")
    }

    @Test("§5.2.1 the largest message, 65535 octets, encodes and decodes")
    func largestMessage() throws {
        let packet = publish(payloadCount: 65_535 - 9)
        var encoded = ByteBuffer()
        try packet.encode(into: &encoded)
        #expect(encoded.readableBytes == 65_535)
        #expect(encoded.getBytes(at: 0, length: 4) == [0x01, 0xFF, 0xFF, 0x0C])
        #expect(try MQTTSNPacket.decode(encoded) == packet)
    }

    @Test("§5.5 encapsulated PINGREQ from a two-octet wireless node id, radius 1")
    func encapsulatedPing() throws {
        let encapsulation = MQTTSNEncapsulation(radius: 1, wirelessNodeID: [0x00, 0x2A], message: .pingRequest(clientID: nil))
        try expectVector(.encapsulated(encapsulation), "05 FE 01 00 2A 02 16")
    }

    @Test("§5.5 encapsulated PUBLISH: the forwarder Length covers only its own header")
    func encapsulatedPublish() throws {
        let inner = MQTTSNPacket.publish(MQTTSNPublish(topic: .normal(1), payload: payload("hi")))
        let encapsulation = MQTTSNEncapsulation(wirelessNodeID: [0x0A, 0x0B, 0x0C], message: inner)
        try expectVector(.encapsulated(encapsulation), "06 FE 00 0A 0B 0C 09 0C 00 00 01 00 00 68 69")
    }

    @Test("§5.5 encapsulation with an empty wireless node id")
    func encapsulatedEmptyNodeID() throws {
        let encapsulation = MQTTSNEncapsulation(wirelessNodeID: [], message: .pingResponse)
        try expectVector(.encapsulated(encapsulation), "03 FE 00 02 17")
    }

    @Test("§5.5 Table 29: reserved Ctrl bits are ignored, the radius is bits 1 and 0")
    func encapsulationReservedCtrlBits() throws {
        let encapsulation = MQTTSNEncapsulation(radius: 2, wirelessNodeID: [0x01], message: .pingResponse)
        try expectDecodes("04 FE FE 01 02 17", to: .encapsulated(encapsulation))
    }

    @Test("§5.5 an encapsulated message in the three-octet Length form")
    func encapsulatedLongForm() throws {
        let inner = publish(payloadCount: 300)
        let expected = "04 FE 03 07 01 01 35 0C 00 00 01 00 00" + payloadHex(300)
        try expectVector(.encapsulated(MQTTSNEncapsulation(radius: 3, wirelessNodeID: [7], message: inner)), expected)
    }
}
