import MQTTCodec
import NIOCore
import Testing

/// MQTT 5.0 property rules (§2.2.2).
@Suite("Properties")
struct PropertyTests {
    @Test("§2.2.2.2 an unknown property identifier is malformed")
    func unknownProperty() throws {
        try expectMalformed("30 06 00 01 74 02 05 00", version: .v5, .unknownProperty(0x05))
    }

    @Test("§2.2.2.2 a single-valued property given twice is a protocol error")
    func duplicateProperty() throws {
        try expectMalformed("30 08 00 01 74 04 01 00 01 00", version: .v5, .duplicateProperty(0x01))
    }

    @Test("§3.8.2.1.2 SUBSCRIBE may carry only one Subscription Identifier")
    func duplicateSubscriptionIdentifier() throws {
        try expectMalformed("82 0B 00 01 04 0B 01 0B 02 00 01 61 00", version: .v5, .duplicateProperty(0x0B))
    }

    @Test("§3.3.2.3.8 a Subscription Identifier of 0 is a protocol error")
    func zeroSubscriptionIdentifier() throws {
        try expectMalformed("82 09 00 01 02 0B 00 00 01 61 00", version: .v5, .invalidPropertyValue(0x0B))
    }

    @Test("§1.5.5 a Subscription Identifier with a fifth byte is malformed")
    func longSubscriptionIdentifier() throws {
        try expectMalformed("30 0A 00 01 74 06 0B FF FF FF FF 01", version: .v5, .malformedVariableByteInteger)
    }

    @Test("§3.3.2.3.4 a Topic Alias of 0 is a protocol error")
    func zeroTopicAlias() throws {
        try expectMalformed("30 07 00 01 74 03 23 00 00", version: .v5, .invalidPropertyValue(0x23))
    }

    @Test("§3.3.2.3.2 Payload Format Indicator is 0 or 1")
    func payloadFormatIndicator() throws {
        try expectMalformed("30 06 00 01 74 02 01 02", version: .v5, .invalidPropertyValue(0x01))
    }

    @Test("§3.2.2.3.3 Receive Maximum 0 is a protocol error")
    func zeroReceiveMaximum() throws {
        try expectMalformed("20 06 00 00 03 21 00 00", version: .v5, .invalidPropertyValue(0x21))
    }

    @Test("§2.2.2.2 Session Expiry Interval is not allowed in PUBLISH")
    func propertyNotAllowedInPublish() throws {
        try expectMalformed("30 09 00 01 74 05 11 00 00 00 01", version: .v5, .propertyNotAllowed(property: 0x11, packet: .publish))
    }

    @Test("§2.2.2.2 Session Expiry Interval is not allowed in PUBACK")
    func propertyNotAllowedInPubAck() throws {
        try expectMalformed("40 09 00 01 00 05 11 00 00 00 01", version: .v5, .propertyNotAllowed(property: 0x11, packet: .puback))
    }

    @Test("§3.1.3.2 Will Delay Interval belongs to the Will properties, not to CONNECT's")
    func willDelayInConnectProperties() throws {
        try expectMalformed(
            "10 13 00 04 4D 51 54 54 05 02 00 3C 05 18 00 00 00 01 00 01 63",
            version: .v5,
            .propertyNotAllowed(property: 0x18, packet: .connect)
        )
    }

    @Test("§2.2.2.1 a property length beyond the packet is malformed")
    func propertyLengthTooLong() throws {
        try expectMalformed("30 05 00 01 74 05 01", version: .v5, .truncated)
    }

    @Test("§2.2.2.2 a property value cut short is malformed")
    func propertyValueCut() throws {
        try expectMalformed("30 06 00 01 74 02 02 00", version: .v5, .truncated)
    }

    @Test("§3.3.2.3.7 User Property may repeat, and order is kept")
    func userPropertiesRepeat() throws {
        var properties = MQTTProperties()
        properties.userProperties = [.init(name: "b", value: "1"), .init(name: "a", value: "2"), .init(name: "b", value: "3")]
        let packet = MQTTPacket.publish(PublishPacket(topic: "t", payload: ByteBuffer(), properties: properties))
        var encoded = ByteBuffer()
        try packet.encode(version: .v5, into: &encoded)
        #expect(try MQTTPacket.decode(from: &encoded, version: .v5) == packet)
    }

    @Test("3.1.1 has no properties: a 5.0 property list is read as topic or payload bytes")
    func noPropertiesInV311() throws {
        try expectDecode(
            "30 04 00 01 74 00", version: .v3_1_1,
            as: .publish(PublishPacket(topic: "t", payload: ByteBuffer(bytes: [0])))
        )
    }
}
