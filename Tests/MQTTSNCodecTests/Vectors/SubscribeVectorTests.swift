import MQTTSNCodec
import NIOCore
import Testing

/// Hex vectors for subscriptions (MQTT-SN v1.2 §5.4.15–§5.4.18).
@Suite("MQTT-SN vectors: subscribe, unsubscribe")
struct SubscribeVectorTests {
    @Test("§5.4.15 SUBSCRIBE QoS 1 to a topic name with a wildcard")
    func subscribeName() throws {
        let subscribe = MQTTSNSubscribe(qos: .atLeastOnce, messageID: 2, topic: .name("a/+"))
        try expectVector(.subscribe(subscribe), "08 12 20 00 02 61 2F 2B")
    }

    @Test("§5.4.15 SUBSCRIBE with DUP to a predefined topic id")
    func subscribePredefined() throws {
        let subscribe = MQTTSNSubscribe(dup: true, messageID: 3, topic: .predefined(5))
        try expectVector(.subscribe(subscribe), "07 12 81 00 03 00 05")
    }

    @Test("§5.4.15 SUBSCRIBE QoS 2 to a short topic name")
    func subscribeShortName() throws {
        let subscribe = MQTTSNSubscribe(qos: .exactlyOnce, messageID: 4, topic: .shortName(MQTTSNShortTopicName(0x61, 0x62)))
        try expectVector(.subscribe(subscribe), "07 12 42 00 04 61 62")
    }

    @Test("§5.4.16 SUBACK granting QoS 1 with the assigned topic id")
    func subAck() throws {
        try expectVector(.subAck(MQTTSNSubAck(qos: .atLeastOnce, topicID: 3, messageID: 2)), "08 13 20 00 03 00 02 00")
    }

    @Test("§5.4.16 SUBACK rejected: not supported")
    func subAckRejected() throws {
        let subAck = MQTTSNSubAck(topicID: 0, messageID: 2, returnCode: .rejectedNotSupported)
        try expectVector(.subAck(subAck), "08 13 00 00 00 00 02 03")
    }

    @Test("§5.4.17 UNSUBSCRIBE from a topic name")
    func unsubscribeName() throws {
        try expectVector(.unsubscribe(MQTTSNUnsubscribe(messageID: 3, topic: .name("a/#"))), "08 14 00 00 03 61 2F 23")
    }

    @Test("§5.4.17 UNSUBSCRIBE from a predefined topic id and from a short name")
    func unsubscribeIDs() throws {
        try expectVector(.unsubscribe(MQTTSNUnsubscribe(messageID: 3, topic: .predefined(5))), "07 14 01 00 03 00 05")
        let name = MQTTSNShortTopicName(0x61, 0x62)
        try expectVector(.unsubscribe(MQTTSNUnsubscribe(messageID: 3, topic: .shortName(name))), "07 14 02 00 03 61 62")
    }

    @Test("§5.4.18 UNSUBACK carries the MsgId only")
    func unsubAck() throws {
        try expectVector(.unsubAck(messageID: 3), "04 15 00 03")
    }
}
