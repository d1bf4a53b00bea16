@testable import MQTTCodec
import NIOCore
import Testing
import PerchTestKit

/// Values that cannot be put on the wire are refused, and nothing is written.
@Suite("Encoding errors")
struct EncodingErrorTests {
    @Test("[MQTT-2.3.1-1] a QoS 1 or 2 PUBLISH needs a packet identifier")
    func missingPacketIdentifier() {
        expectEncodingFails(
            .publish(PublishPacket(topic: "t", payload: ByteBuffer(), qos: .atLeastOnce)), version: .v5, .missingPacketIdentifier
        )
    }

    @Test("[MQTT-2.3.1-5] a QoS 0 PUBLISH must not have a packet identifier")
    func unexpectedPacketIdentifier() {
        expectEncodingFails(
            .publish(PublishPacket(topic: "t", payload: ByteBuffer(), packetID: 1)), version: .v3_1_1, .unexpectedPacketIdentifier
        )
    }

    @Test("[MQTT-2.3.1-1] packet identifier 0 is not written")
    func zeroPacketIdentifier() {
        expectEncodingFails(.puback(PublishAckPacket(packetID: 0)), version: .v3_1_1, .zeroPacketIdentifier)
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 0, subscriptions: [.init(topicFilter: "a", qos: .atMostOnce)])),
            version: .v5, .zeroPacketIdentifier
        )
    }

    @Test("[MQTT-3.3.1-2] DUP is not written on QoS 0")
    func dupOnQoS0() {
        expectEncodingFails(.publish(PublishPacket(topic: "t", payload: ByteBuffer(), dup: true)), version: .v5, .duplicateFlagWithQoS0)
    }

    @Test("[MQTT-3.3.2-2] a PUBLISH topic with a wildcard is not written")
    func wildcardTopic() {
        expectEncodingFails(.publish(PublishPacket(topic: "a/#", payload: ByteBuffer())), version: .v3_1_1, .invalidTopicName("a/#"))
        let will = ConnectPacket.Will(topic: "+", payload: ByteBuffer())
        expectEncodingFails(.connect(ConnectPacket(version: .v5, clientID: "c", will: will)), version: .v5, .invalidTopicName("+"))
    }

    @Test("§1.5.3 a string over 65,535 bytes is not written")
    func stringTooLong() {
        let topic = String(repeating: "a", count: 65_536)
        expectEncodingFails(.publish(PublishPacket(topic: topic, payload: ByteBuffer())), version: .v5, .stringTooLong(65_536))
    }

    @Test("§1.5.3 a string of exactly 65,535 bytes is written")
    func stringAtLimit() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: String(repeating: "a", count: 65_535), payload: ByteBuffer()))
        var encoded = ByteBuffer()
        try packet.encode(version: .v3_1_1, into: &encoded)
        #expect(try MQTTPacket.decode(from: &encoded, version: .v3_1_1) == packet)
    }

    @Test("[MQTT-1.5.3-2] U+0000 in a string is not written")
    func nullCharacter() {
        expectEncodingFails(.publish(PublishPacket(topic: "a\u{0}", payload: ByteBuffer())), version: .v5, .invalidUTF8)
    }

    @Test("§3.1.3.5 binary data over 65,535 bytes is not written")
    func binaryTooLong() {
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v5, clientID: "c", username: "u", password: Array(repeating: 1, count: 70_000)
        ))
        expectEncodingFails(packet, version: .v5, .binaryTooLong(70_000))
    }

    @Test("§2.2.3 a Remaining Length over 268,435,455 cannot be written")
    func remainingLengthTooLarge() throws {
        var buffer = ByteBuffer()
        try buffer.writeMQTTVariableByteInteger(268_435_455)
        #expect(hex(buffer) == "FF FF FF 7F")
        #expect(throws: MQTTCodecError.remainingLengthTooLarge(268_435_456)) {
            try buffer.writeMQTTVariableByteInteger(268_435_456)
        }
    }

    @Test("3.1.1 has no properties: a 3.1.1 packet with properties is not written")
    func propertiesOnV311() {
        var properties = MQTTProperties()
        properties.contentType = "text/plain"
        expectEncodingFails(
            .publish(PublishPacket(topic: "t", payload: ByteBuffer(), properties: properties)),
            version: .v3_1_1, .propertiesNotSupportedInV311
        )
        expectEncodingFails(
            .connect(ConnectPacket(version: .v3_1_1, clientID: "c", properties: properties)),
            version: .v3_1_1, .propertiesNotSupportedInV311
        )
    }

    @Test("§2.2.2.2 a property the packet may not carry is not written")
    func propertyNotAllowed() {
        var properties = MQTTProperties()
        properties.sessionExpiryInterval = 1
        expectEncodingFails(
            .publish(PublishPacket(topic: "t", payload: ByteBuffer(), properties: properties)),
            version: .v5, .propertyNotAllowed(property: 0x11, packet: .publish)
        )
        properties = MQTTProperties()
        properties.reasonString = "no"
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [.init(topicFilter: "a", qos: .atMostOnce)], properties: properties)),
            version: .v5, .propertyNotAllowed(property: 0x1F, packet: .subscribe)
        )
    }

    @Test("§3.8.2.1.2 SUBSCRIBE with two Subscription Identifiers is not written")
    func twoSubscriptionIdentifiers() {
        var properties = MQTTProperties()
        properties.subscriptionIdentifiers = [1, 2]
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [.init(topicFilter: "a", qos: .atMostOnce)], properties: properties)),
            version: .v5, .duplicateProperty(0x0B)
        )
    }

    @Test("§3.3.2.3.8 a Subscription Identifier above 268,435,455 is not written")
    func subscriptionIdentifierTooLarge() {
        var properties = MQTTProperties()
        properties.subscriptionIdentifiers = [268_435_456]
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [.init(topicFilter: "a", qos: .atMostOnce)], properties: properties)),
            version: .v5, .invalidPropertyValue(0x0B)
        )
    }

    @Test("[MQTT-3.1.2-22] 3.1.1 CONNECT with a password but no user name is not written")
    func passwordWithoutUsername() {
        expectEncodingFails(
            .connect(ConnectPacket(version: .v3_1_1, clientID: "c", password: [1])),
            version: .v3_1_1, .protocolError("a password without a user name needs MQTT 5")
        )
    }

    @Test("§3.8.3.1 Retain Handling 3 is not written; 3.1.1 has no subscription options beyond QoS")
    func subscriptionOptions() {
        let badHandling = SubscribePacket.Subscription(topicFilter: "a", qos: .atMostOnce, retainHandling: 3)
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [badHandling])), version: .v5, .invalidSubscriptionOptions(0x30)
        )
        let noLocal = SubscribePacket.Subscription(topicFilter: "a", qos: .atMostOnce, noLocal: true)
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [noLocal])), version: .v3_1_1,
            .protocolError("subscription options other than QoS need MQTT 5")
        )
    }

    @Test("3.1.1 acknowledgements carry no reason code")
    func reasonCodeOnV311() {
        expectEncodingFails(
            .puback(PublishAckPacket(packetID: 1, reasonCode: .unspecifiedError)), version: .v3_1_1,
            .protocolError("PUBACK reason codes need MQTT 5")
        )
        expectEncodingFails(
            .unsuback(UnsubAckPacket(packetID: 1, reasonCodes: [.success])), version: .v3_1_1,
            .protocolError("UNSUBACK reason codes need MQTT 5")
        )
    }

    @Test("[MQTT-3.8.3-3] [MQTT-3.10.3-2] SUBSCRIBE and UNSUBSCRIBE without filters are not written")
    func emptyFilterLists() {
        expectEncodingFails(
            .subscribe(SubscribePacket(packetID: 1, subscriptions: [])), version: .v5,
            .protocolError("SUBSCRIBE without a topic filter")
        )
        expectEncodingFails(
            .unsubscribe(UnsubscribePacket(packetID: 1, topicFilters: [])), version: .v3_1_1,
            .protocolError("UNSUBSCRIBE without a topic filter")
        )
    }

    @Test("Every error has a description a log can show")
    func descriptions() {
        #expect(MQTTCodecError.invalidQoS.description == "QoS 3 is malformed")
        #expect(MQTTCodecError.reservedFlags(type: .pubrel, flags: 0).description.contains("PUBREL"))
        #expect(MQTTCodecError.packetTooLarge(1003).description.contains("1003"))
    }
}
