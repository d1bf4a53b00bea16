import MQTTCodec
import NIOCore
import Testing
import PerchTestKit

/// Bytes written by implementations nobody here wrote, captured once on 127.0.0.1
/// from Debian 12's mosquitto 2.0.11: mosquitto_pub talking to a socket that
/// printed what it received, and the broker answering hand-written requests.
/// The codec must read them and, where it would write the same value, write them too.
@Suite("Mosquitto captures")
struct MosquittoCaptureTests {
    private static let will = ConnectPacket.Will(
        topic: "perch/status", payload: ByteBuffer(string: "offline"), qos: .atLeastOnce, retain: true
    )

    @Test("mosquitto_pub 3.1.1 CONNECT with will, user name and password is read and written alike")
    func mosquittoPubConnectV311() throws {
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v3_1_1, clientID: "perch-test", cleanStart: true, keepAliveSeconds: 20,
            username: "user", password: Array("pw".utf8), will: Self.will
        ))
        try expectVector(
            packet,
            "10 37 00 04 4D 51 54 54 04 EE 00 14 00 0A 70 65 72 63 68 2D 74 65 73 74 00 0C 70 65 72 63 68 2F"
                + " 73 74 61 74 75 73 00 07 6F 66 66 6C 69 6E 65 00 04 75 73 65 72 00 02 70 77",
            version: .v3_1_1
        )
    }

    @Test("mosquitto_pub 5.0 CONNECT with Session Expiry Interval and Receive Maximum is read and written alike")
    func mosquittoPubConnectV5() throws {
        var properties = MQTTProperties()
        properties.sessionExpiryInterval = 30
        properties.receiveMaximum = 20
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v5, clientID: "perch-test", cleanStart: true, keepAliveSeconds: 20,
            username: "user", password: Array("pw".utf8), will: Self.will, properties: properties
        ))
        try expectVector(
            packet,
            "10 41 00 04 4D 51 54 54 05 EE 00 14 08 11 00 00 00 1E 21 00 14 00 0A 70 65 72 63 68 2D 74 65 73"
                + " 74 00 00 0C 70 65 72 63 68 2F 73 74 61 74 75 73 00 07 6F 66 66 6C 69 6E 65 00 04 75 73 65 72"
                + " 00 02 70 77",
            version: .v5
        )
    }

    @Test("mosquitto_pub 5.0 PUBLISH with Content Type and a User Property is read and written alike")
    func mosquittoPubPublishV5() throws {
        var properties = MQTTProperties()
        properties.contentType = "text/plain"
        properties.userProperties = [.init(name: "k", value: "v")]
        let packet = MQTTPacket.publish(PublishPacket(
            topic: "a/b", payload: ByteBuffer(string: "hi"), qos: .atLeastOnce, packetID: 1, properties: properties
        ))
        try expectVector(
            packet,
            "32 1E 00 03 61 2F 62 00 01 14 03 00 0A 74 65 78 74 2F 70 6C 61 69 6E 26 00 01 6B 00 01 76 68 69",
            version: .v5
        )
    }

    @Test("The mosquitto broker's 3.1.1 replies decode as one stream")
    func brokerRepliesV311() throws {
        var stream = try buffer(hex: "20 02 00 00 90 03 00 01 01 32 09 00 03 61 2F 62 00 01 68 69 40 02 00 0A B0 02 00 02 D0 00")
        let expected: [MQTTPacket] = [
            .connack(ConnAckPacket()),
            .suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1])),
            .publish(PublishPacket(topic: "a/b", payload: ByteBuffer(string: "hi"), qos: .atLeastOnce, packetID: 1)),
            .puback(PublishAckPacket(packetID: 10)),
            .unsuback(UnsubAckPacket(packetID: 2)),
            .pingresp,
        ]
        try expectStream(&stream, version: .v3_1_1, expected)
    }

    @Test("The mosquitto broker's 5.0 replies decode: CONNACK properties, Subscription Identifier, short PUBACK")
    func brokerRepliesV5() throws {
        var stream = try buffer(
            hex: "20 09 00 00 06 22 00 0A 21 00 14 90 04 00 01 00 01 32 0C 00 03 61 2F 62 00 01 02 0B 07 68 69"
                + " 40 02 00 0A B0 04 00 02 00 11 D0 00"
        )
        var connAckProperties = MQTTProperties()
        connAckProperties.topicAliasMaximum = 10
        connAckProperties.receiveMaximum = 20
        var publishProperties = MQTTProperties()
        publishProperties.subscriptionIdentifiers = [7]
        let expected: [MQTTPacket] = [
            .connack(ConnAckPacket(properties: connAckProperties)),
            .suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1])),
            .publish(PublishPacket(
                topic: "a/b", payload: ByteBuffer(string: "hi"), qos: .atLeastOnce, packetID: 1, properties: publishProperties
            )),
            .puback(PublishAckPacket(packetID: 10)),
            .unsuback(UnsubAckPacket(packetID: 2, reasonCodes: [.noSubscriptionExisted])),
            .pingresp,
        ]
        try expectStream(&stream, version: .v5, expected)
    }

    private func expectStream(
        _ stream: inout ByteBuffer,
        version: MQTTProtocolVersion,
        _ expected: [MQTTPacket],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var decoded: [MQTTPacket] = []
        // Bounded: each packet consumes at least two bytes.
        for _ in 0..<expected.count + 1 {
            guard let packet = try MQTTPacket.decode(from: &stream, version: version) else { break }
            decoded.append(packet)
        }
        #expect(decoded == expected, sourceLocation: sourceLocation)
        #expect(stream.readableBytes == 0, sourceLocation: sourceLocation)
    }
}
