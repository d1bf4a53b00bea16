import MQTTCodec
import NIOCore
import Testing
import PerchTestKit

/// Hex vectors for every packet type of MQTT 3.1.1, encoded and decoded.
@Suite("MQTT 3.1.1 vectors")
struct V311VectorTests {
    @Test("§3.1 CONNECT, minimal: protocol name MQTT, level 4, Clean Session")
    func connectMinimal() throws {
        let packet = MQTTPacket.connect(ConnectPacket(version: .v3_1_1, clientID: "c", keepAliveSeconds: 60))
        try expectVector(packet, "10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", version: .v3_1_1)
    }

    @Test("§3.1.3 CONNECT payload order: client id, will topic, will message, user name, password")
    func connectFull() throws {
        let will = ConnectPacket.Will(topic: "w", payload: payload("x"), qos: .atLeastOnce, retain: true)
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v3_1_1, clientID: "c", cleanStart: false, keepAliveSeconds: 10,
            username: "u", password: Array("p".utf8), will: will
        ))
        try expectVector(
            packet,
            "10 19 00 04 4D 51 54 54 04 EC 00 0A 00 01 63 00 01 77 00 01 78 00 01 75 00 01 70",
            version: .v3_1_1
        )
    }

    @Test("§3.2.2.2 CONNACK with Session Present")
    func connAckSessionPresent() throws {
        try expectVector(.connack(ConnAckPacket(sessionPresent: true)), "20 02 01 00", version: .v3_1_1)
    }

    @Test("§3.2.2.3 CONNACK return code 5, not authorized")
    func connAckRefused() throws {
        try expectVector(.connack(ConnAckPacket(reasonCode: MQTTReasonCode(5))), "20 02 00 05", version: .v3_1_1)
    }

    @Test("§3.3 PUBLISH QoS 0 has no packet identifier")
    func publishQoS0() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: "a/b", payload: payload("hi")))
        try expectVector(packet, "30 07 00 03 61 2F 62 68 69", version: .v3_1_1)
    }

    @Test("§3.3.1 PUBLISH QoS 1 with DUP and RETAIN")
    func publishQoS1DupRetain() throws {
        let packet = MQTTPacket.publish(PublishPacket(
            topic: "a/b", payload: payload("hi"), qos: .atLeastOnce, retain: true, dup: true, packetID: 10
        ))
        try expectVector(packet, "3B 09 00 03 61 2F 62 00 0A 68 69", version: .v3_1_1)
    }

    @Test("§3.3 PUBLISH QoS 2 with an empty payload")
    func publishQoS2EmptyPayload() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: "t", payload: ByteBuffer(), qos: .exactlyOnce, packetID: 0xFFFF))
        try expectVector(packet, "34 05 00 01 74 FF FF", version: .v3_1_1)
    }

    @Test("§3.4–3.7 PUBACK, PUBREC, PUBREL (flags 0010), PUBCOMP")
    func publishAcks() throws {
        let ack = PublishAckPacket(packetID: 10)
        try expectVector(.puback(ack), "40 02 00 0A", version: .v3_1_1)
        try expectVector(.pubrec(ack), "50 02 00 0A", version: .v3_1_1)
        try expectVector(.pubrel(ack), "62 02 00 0A", version: .v3_1_1)
        try expectVector(.pubcomp(ack), "70 02 00 0A", version: .v3_1_1)
    }

    @Test("§3.8 SUBSCRIBE (flags 0010) with two topic filters")
    func subscribe() throws {
        let packet = MQTTPacket.subscribe(SubscribePacket(packetID: 1, subscriptions: [
            .init(topicFilter: "a/#", qos: .atLeastOnce),
            .init(topicFilter: "b", qos: .atMostOnce),
        ]))
        try expectVector(packet, "82 0C 00 01 00 03 61 2F 23 01 00 01 62 00", version: .v3_1_1)
    }

    @Test("§3.9.3 SUBACK with a granted QoS and the failure code 0x80")
    func subAck() throws {
        let packet = MQTTPacket.suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1, .unspecifiedError]))
        try expectVector(packet, "90 04 00 01 01 80", version: .v3_1_1)
    }

    @Test("§3.10 UNSUBSCRIBE (flags 0010)")
    func unsubscribe() throws {
        try expectVector(.unsubscribe(UnsubscribePacket(packetID: 2, topicFilters: ["b"])), "A2 05 00 02 00 01 62", version: .v3_1_1)
    }

    @Test("§3.11 UNSUBACK is only the packet identifier")
    func unsubAck() throws {
        try expectVector(.unsuback(UnsubAckPacket(packetID: 2)), "B0 02 00 02", version: .v3_1_1)
    }

    @Test("§3.12–3.14 PINGREQ, PINGRESP and DISCONNECT have no body")
    func emptyPackets() throws {
        try expectVector(.pingreq, "C0 00", version: .v3_1_1)
        try expectVector(.pingresp, "D0 00", version: .v3_1_1)
        try expectVector(.disconnect(DisconnectPacket()), "E0 00", version: .v3_1_1)
    }

    @Test("§2.2.3 Remaining Length of 128 takes two bytes")
    func twoByteRemainingLength() throws {
        let body = String(repeating: "z", count: 125)
        let packet = MQTTPacket.publish(PublishPacket(topic: "t", payload: payload(body)))
        try expectVector(packet, "30 80 01 00 01 74 " + hex(payload(body)), version: .v3_1_1)
    }

    @Test("§1.5.3 UTF-8 strings with multi-byte characters keep their byte length")
    func multiByteTopic() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: "é/日", payload: ByteBuffer()))
        try expectVector(packet, "30 08 00 06 C3 A9 2F E6 97 A5", version: .v3_1_1)
    }
}
