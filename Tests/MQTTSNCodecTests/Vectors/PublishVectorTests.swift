import MQTTSNCodec
import NIOCore
import Testing

/// Hex vectors for registration and publishing (MQTT-SN v1.2 §5.4.10–§5.4.14).
@Suite("MQTT-SN vectors: register, publish")
struct PublishVectorTests {
    @Test("§5.4.10 REGISTER from a client: TopicId 0x0000")
    func registerFromClient() throws {
        try expectVector(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "a/b")), "09 0A 00 00 00 01 61 2F 62")
    }

    @Test("§5.4.10 REGISTER from the gateway carries the assigned TopicId")
    func registerFromGateway() throws {
        try expectVector(.register(MQTTSNRegister(topicID: 0x0102, messageID: 0x0304, topicName: "x")), "07 0A 01 02 03 04 78")
    }

    @Test("§5.4.11 REGACK accepted")
    func regAck() throws {
        try expectVector(.regAck(MQTTSNTopicAck(topicID: 1, messageID: 1)), "07 0B 00 01 00 01 00")
    }

    @Test("§5.4.11 REGACK rejected: congestion")
    func regAckRejected() throws {
        let ack = MQTTSNTopicAck(topicID: 0, messageID: 9, returnCode: .rejectedCongestion)
        try expectVector(.regAck(ack), "07 0B 00 00 00 09 01")
    }

    @Test("§5.4.12 PUBLISH QoS 0 with a normal topic id, MsgId 0x0000")
    func publishQoS0() throws {
        let publish = MQTTSNPublish(topic: .normal(1), payload: payload("hi"))
        try expectVector(.publish(publish), "09 0C 00 00 01 00 00 68 69")
    }

    @Test("§5.4.12 PUBLISH QoS -1 with a predefined topic id")
    func publishQoSMinusOne() throws {
        let publish = MQTTSNPublish(qos: .minusOne, topic: .predefined(5), payload: payload("hi"))
        try expectVector(.publish(publish), "09 0C 61 00 05 00 00 68 69")
    }

    @Test("§5.4.12 PUBLISH QoS 1 with a short topic name")
    func publishShortName() throws {
        let name = try #require(MQTTSNShortTopicName("ab"))
        let publish = MQTTSNPublish(qos: .atLeastOnce, topic: .shortName(name), messageID: 10, payload: payload("hi"))
        try expectVector(.publish(publish), "09 0C 22 61 62 00 0A 68 69")
        #expect(name.topicName == "ab")
    }

    @Test("§5.4.12 PUBLISH QoS 2 with DUP and Retain, empty data")
    func publishQoS2DupRetain() throws {
        let publish = MQTTSNPublish(
            dup: true, qos: .exactlyOnce, retain: true, topic: .normal(0x0102), messageID: 0xFFFF, payload: ByteBuffer()
        )
        try expectVector(.publish(publish), "07 0C D0 01 02 FF FF")
    }

    @Test("§5.4.13 PUBACK rejected: invalid topic id")
    func pubAck() throws {
        let ack = MQTTSNTopicAck(topicID: 1, messageID: 10, returnCode: .rejectedInvalidTopicID)
        try expectVector(.pubAck(ack), "07 0D 00 01 00 0A 02")
    }

    @Test("§5.4.14 PUBREC, PUBREL and PUBCOMP carry the MsgId only")
    func qos2Handshake() throws {
        try expectVector(.pubRec(messageID: 10), "04 0F 00 0A")
        try expectVector(.pubRel(messageID: 10), "04 10 00 0A")
        try expectVector(.pubComp(messageID: 0xABCD), "04 0E AB CD")
    }
}
