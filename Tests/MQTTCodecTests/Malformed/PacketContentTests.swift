import MQTTCodec
import NIOCore
import Testing

/// Rules on the variable header and payload of each packet type.
@Suite("Malformed packet contents")
struct PacketContentTests {
    @Test("[MQTT-1.5.3-1] an ill-formed UTF-8 string is malformed")
    func illFormedUTF8() throws {
        try expectMalformed("30 04 00 02 C3 28", version: .v3_1_1, .invalidUTF8)
    }

    @Test("[MQTT-1.5.4-1] UTF-16 surrogates encoded in UTF-8 are malformed")
    func surrogate() throws {
        try expectMalformed("30 06 00 03 ED A0 80 00", version: .v5, .invalidUTF8)
    }

    @Test("[MQTT-1.5.3-2] a string must not contain U+0000")
    func nullCharacter() throws {
        try expectMalformed("30 03 00 01 00", version: .v3_1_1, .invalidUTF8)
        try expectMalformed("82 06 00 01 00 01 00 00", version: .v3_1_1, .invalidUTF8)
    }

    @Test("[MQTT-2.3.1-1] a packet identifier of 0 is malformed")
    func zeroPacketIdentifier() throws {
        try expectMalformed("40 02 00 00", version: .v3_1_1, .zeroPacketIdentifier)
        try expectMalformed("32 05 00 01 74 00 00", version: .v5, .zeroPacketIdentifier)
        try expectMalformed("82 06 00 00 00 01 61 00", version: .v3_1_1, .zeroPacketIdentifier)
    }

    @Test("[MQTT-3.3.2-2] a PUBLISH topic name must not contain wildcards")
    func wildcardInTopicName() throws {
        try expectMalformed("30 05 00 03 61 2F 2B", version: .v3_1_1, .invalidTopicName("a/+"))
        try expectMalformed("30 04 00 01 23 00", version: .v5, .invalidTopicName("#"))
    }

    @Test("[MQTT-4.7.3-1] an empty topic name is malformed (5.0: unless a Topic Alias is given)")
    func emptyTopicName() throws {
        try expectMalformed("30 02 00 00", version: .v3_1_1, .invalidTopicName(""))
        try expectMalformed("30 03 00 00 00", version: .v5, .invalidTopicName(""))
    }

    @Test("[MQTT-4.7.1-2] [MQTT-4.7.1-3] wildcards must fill a whole level; # must be last")
    func invalidTopicFilters() throws {
        try expectMalformed("82 0A 00 01 00 05 61 2F 23 2F 62 00", version: .v3_1_1, .invalidTopicFilter("a/#/b"))
        try expectMalformed("A2 05 00 01 00 01 00", version: .v3_1_1, .invalidUTF8)
        try expectMalformed("A2 06 00 01 00 02 61 2B", version: .v3_1_1, .invalidTopicFilter("a+"))
    }

    @Test("[MQTT-3-8.3-4] 3.1.1 SUBSCRIBE: reserved option bits must be 0")
    func v311SubscribeReservedBits() throws {
        try expectMalformed("82 06 00 01 00 01 61 04", version: .v3_1_1, .invalidSubscriptionOptions(0x04))
    }

    @Test("[MQTT-3.8.3-5] 5.0 SUBSCRIBE: bits 6 and 7 of the options must be 0")
    func v5SubscribeReservedBits() throws {
        try expectMalformed("82 07 00 01 00 00 01 61 40", version: .v5, .invalidSubscriptionOptions(0x40))
    }

    @Test("§3.8.3.1 Retain Handling 3 is malformed")
    func retainHandlingThree() throws {
        try expectMalformed("82 07 00 01 00 00 01 61 30", version: .v5, .invalidSubscriptionOptions(0x30))
    }

    @Test("5.0 [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error")
    func noLocalOnSharedSubscription() throws {
        try expectMalformed(
            "82 12 00 01 00 00 0C 24 73 68 61 72 65 2F 67 2F 61 2F 62 04", version: .v5,
            .protocolError("No Local on a shared subscription")
        )
        let shared = SubscribePacket.Subscription(topicFilter: "$share/g/a/b", qos: .atMostOnce, noLocal: true)
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [shared])), version: .v5,
            .protocolError("No Local on a shared subscription")
        )
    }

    @Test("[MQTT-3-8.3-4] a requested QoS of 3 is malformed")
    func subscribeQoS3() throws {
        try expectMalformed("82 06 00 01 00 01 61 03", version: .v3_1_1, .invalidQoS)
    }

    @Test("[MQTT-3.8.3-3] SUBSCRIBE needs at least one topic filter")
    func emptySubscribe() throws {
        try expectMalformed("82 02 00 01", version: .v3_1_1, .protocolError("SUBSCRIBE without a topic filter"))
    }

    @Test("[MQTT-3.10.3-2] UNSUBSCRIBE needs at least one topic filter")
    func emptyUnsubscribe() throws {
        try expectMalformed("A2 03 00 01 00", version: .v5, .protocolError("UNSUBSCRIBE without a topic filter"))
    }

    @Test("§3.9.3 3.1.1 SUBACK return codes are 0, 1, 2 and 0x80 only")
    func subAckReturnCode() throws {
        try expectMalformed("90 03 00 01 03", version: .v3_1_1, .invalidReasonCode(3, packet: .suback))
    }

    @Test("§3.4.2.1 5.0 PUBACK reason code outside its table is malformed")
    func pubAckReasonCode() throws {
        try expectMalformed("40 03 00 01 05", version: .v5, .invalidReasonCode(5, packet: .puback))
        try expectMalformed("62 03 00 01 10", version: .v5, .invalidReasonCode(0x10, packet: .pubrel))
    }

    @Test("§3.14.2.1 5.0 DISCONNECT reason code outside its table is malformed")
    func disconnectReasonCode() throws {
        try expectMalformed("E0 01 05", version: .v5, .invalidReasonCode(5, packet: .disconnect))
    }

    @Test("Bytes after the declared contents are malformed", arguments: [
        ("C0 01 00", MQTTProtocolVersion.v3_1_1), ("40 03 00 01 00", .v3_1_1), ("20 03 00 00 00", .v3_1_1),
        ("B0 03 00 01 00", .v3_1_1), ("E0 01 00", .v3_1_1), ("D0 01 00", .v5), ("20 04 00 00 00 00", .v5),
    ])
    func trailingBytes(hexString: String, version: MQTTProtocolVersion) throws {
        try expectMalformed(hexString, version: version, .trailingBytes)
    }

    @Test("Contents that end before a field does are malformed", arguments: [
        ("40 01 00", MQTTProtocolVersion.v3_1_1), ("30 02 00 05", .v5), ("20 01 00", .v5),
        ("10 05 00 04 4D 51 54", .v3_1_1), ("32 04 00 01 74 00", .v3_1_1),
    ])
    func truncated(hexString: String, version: MQTTProtocolVersion) throws {
        try expectMalformed(hexString, version: version, .truncated)
    }
}
