import MQTTCodec
import NIOCore
import Testing

/// Hex vectors for every packet type of MQTT 5.0, encoded and decoded.
@Suite("MQTT 5.0 vectors")
struct V5VectorTests {
    @Test("§3.1 CONNECT, minimal: level 5 and an empty property list")
    func connectMinimal() throws {
        let packet = MQTTPacket.connect(ConnectPacket(version: .v5, clientID: "c", keepAliveSeconds: 60))
        try expectVector(packet, "10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", version: .v5)
    }

    @Test("§3.1.2.9 CONNECT with a password and no user name, will properties and CONNECT properties")
    func connectFull() throws {
        var properties = MQTTProperties()
        properties.sessionExpiryInterval = 3600
        properties.receiveMaximum = 20
        var willProperties = MQTTProperties()
        willProperties.willDelayInterval = 5
        let will = ConnectPacket.Will(topic: "w", payload: payload("x"), properties: willProperties)
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v5, clientID: "c", keepAliveSeconds: 10, password: Array("pw".utf8),
            will: will, properties: properties
        ))
        try expectVector(
            packet,
            "10 26 00 04 4D 51 54 54 05 46 00 0A 08 11 00 00 0E 10 21 00 14 00 01 63"
                + " 05 18 00 00 00 05 00 01 77 00 01 78 00 02 70 77",
            version: .v5
        )
    }

    @Test("§3.1 a CONNECT is read at its own protocol level, whatever the connection's")
    func connectReadAtOwnLevel() throws {
        let packet = MQTTPacket.connect(ConnectPacket(version: .v3_1_1, clientID: "c", keepAliveSeconds: 60))
        try expectDecode("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", version: .v5, as: packet)
    }

    @Test("§3.2 CONNACK, success with no properties")
    func connAckMinimal() throws {
        try expectVector(.connack(ConnAckPacket()), "20 03 00 00 00", version: .v5)
    }

    @Test("§3.2.2.3 CONNACK properties: Assigned Client Identifier, Topic Alias Maximum, Maximum QoS")
    func connAckProperties() throws {
        var properties = MQTTProperties()
        properties.assignedClientIdentifier = "ab"
        properties.topicAliasMaximum = 10
        properties.maximumQoS = 1
        try expectVector(
            .connack(ConnAckPacket(properties: properties)),
            "20 0D 00 00 0A 12 00 02 61 62 22 00 0A 24 01",
            version: .v5
        )
    }

    @Test("§3.3.2.3 PUBLISH QoS 1 with Payload Format Indicator, Content Type and a User Property")
    func publishWithProperties() throws {
        var properties = MQTTProperties()
        properties.payloadFormatIndicator = 1
        properties.contentType = "text"
        properties.userProperties = [.init(name: "k", value: "v")]
        let packet = MQTTPacket.publish(PublishPacket(
            topic: "t", payload: payload("hi"), qos: .atLeastOnce, packetID: 1, properties: properties
        ))
        try expectVector(
            packet,
            "32 18 00 01 74 00 01 10 01 01 03 00 04 74 65 78 74 26 00 01 6B 00 01 76 68 69",
            version: .v5
        )
    }

    @Test("§3.3 PUBLISH QoS 0 with an empty property list")
    func publishMinimal() throws {
        try expectVector(.publish(PublishPacket(topic: "t", payload: payload("hi"))), "30 06 00 01 74 00 68 69", version: .v5)
    }

    @Test("§3.3.2.1 an empty topic name is allowed together with a Topic Alias")
    func publishTopicAlias() throws {
        var properties = MQTTProperties()
        properties.topicAlias = 5
        let packet = MQTTPacket.publish(PublishPacket(topic: "", payload: ByteBuffer(), properties: properties))
        try expectVector(packet, "30 06 00 00 03 23 00 05", version: .v5)
    }

    @Test("§3.3.2.3.8 PUBLISH may carry several Subscription Identifiers")
    func publishSubscriptionIdentifiers() throws {
        var properties = MQTTProperties()
        properties.subscriptionIdentifiers = [1, 268_435_455]
        let packet = MQTTPacket.publish(PublishPacket(topic: "t", payload: ByteBuffer(), properties: properties))
        try expectVector(packet, "30 0B 00 01 74 07 0B 01 0B FF FF FF 7F", version: .v5)
    }

    @Test("§3.4.2.1 PUBACK short form: success and no properties take remaining length 2")
    func pubAckShort() throws {
        try expectVector(.puback(PublishAckPacket(packetID: 1)), "40 02 00 01", version: .v5)
    }

    @Test("§3.4.2.2.1 PUBACK with a reason code and no property length")
    func pubAckReasonOnly() throws {
        try expectVector(.puback(PublishAckPacket(packetID: 1, reasonCode: .noMatchingSubscribers)), "40 03 00 01 10", version: .v5)
    }

    @Test("§3.4.2.2 PUBACK with a Reason String")
    func pubAckReasonString() throws {
        var properties = MQTTProperties()
        properties.reasonString = "q"
        let packet = MQTTPacket.puback(PublishAckPacket(packetID: 1, reasonCode: .quotaExceeded, properties: properties))
        try expectVector(packet, "40 08 00 01 97 04 1F 00 01 71", version: .v5)
    }

    @Test("§3.4.2.2.1 PUBACK with a reason code and an empty property list decodes")
    func pubAckExplicitEmptyProperties() throws {
        try expectDecode("40 04 00 01 00 00", version: .v5, as: .puback(PublishAckPacket(packetID: 1)))
    }

    @Test("§3.5–3.7 PUBREC 0x80, PUBREL 0x92 (flags 0010), PUBCOMP short form")
    func pubRecRelComp() throws {
        try expectVector(.pubrec(PublishAckPacket(packetID: 1, reasonCode: .unspecifiedError)), "50 03 00 01 80", version: .v5)
        try expectVector(.pubrel(PublishAckPacket(packetID: 1, reasonCode: .packetIdentifierNotFound)), "62 03 00 01 92", version: .v5)
        try expectVector(.pubcomp(PublishAckPacket(packetID: 1)), "70 02 00 01", version: .v5)
    }

    @Test("§3.8.3.1 SUBSCRIBE options: QoS 2, No Local, Retain As Published, Retain Handling 2")
    func subscribeOptions() throws {
        var properties = MQTTProperties()
        properties.subscriptionIdentifiers = [7]
        let subscription = SubscribePacket.Subscription(
            topicFilter: "a/+", qos: .exactlyOnce, noLocal: true, retainAsPublished: true, retainHandling: 2
        )
        let packet = MQTTPacket.subscribe(SubscribePacket(packetID: 2, subscriptions: [subscription], properties: properties))
        try expectVector(packet, "82 0B 00 02 02 0B 07 00 03 61 2F 2B 2E", version: .v5)
    }

    @Test("§3.9.3 SUBACK with Granted QoS 2 and Wildcard Subscriptions not supported")
    func subAck() throws {
        let packet = MQTTPacket.suback(SubAckPacket(packetID: 2, reasonCodes: [.grantedQoS2, .wildcardSubscriptionsNotSupported]))
        try expectVector(packet, "90 05 00 02 00 02 A2", version: .v5)
    }

    @Test("§3.10 UNSUBSCRIBE with an empty property list")
    func unsubscribe() throws {
        try expectVector(.unsubscribe(UnsubscribePacket(packetID: 3, topicFilters: ["b"])), "A2 06 00 03 00 00 01 62", version: .v5)
    }

    @Test("§3.11.3 UNSUBACK with No subscription existed")
    func unsubAck() throws {
        let packet = MQTTPacket.unsuback(UnsubAckPacket(packetID: 3, reasonCodes: [.noSubscriptionExisted]))
        try expectVector(packet, "B0 04 00 03 00 11", version: .v5)
    }

    @Test("§3.12–3.13 PINGREQ and PINGRESP")
    func ping() throws {
        try expectVector(.pingreq, "C0 00", version: .v5)
        try expectVector(.pingresp, "D0 00", version: .v5)
    }

    @Test("§3.14.2.1 DISCONNECT short form, reason code only, and with Session Expiry Interval")
    func disconnect() throws {
        try expectVector(.disconnect(DisconnectPacket()), "E0 00", version: .v5)
        try expectVector(.disconnect(DisconnectPacket(reasonCode: .disconnectWithWill)), "E0 01 04", version: .v5)
        var properties = MQTTProperties()
        properties.sessionExpiryInterval = 0
        try expectVector(.disconnect(DisconnectPacket(properties: properties)), "E0 07 00 05 11 00 00 00 00", version: .v5)
    }
}
