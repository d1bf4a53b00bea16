import MQTTSNCodec
import NIOCore
import Testing

/// Hex vectors for gateway discovery and the connection and will set-up
/// (MQTT-SN v1.2 §5.4.1–§5.4.9), written from the specification's tables.
@Suite("MQTT-SN vectors: discovery, connect, will")
struct ConnectionVectorTests {
    @Test("§5.4.1 ADVERTISE: GwId, then Duration as two octets")
    func advertise() throws {
        try expectVector(.advertise(MQTTSNAdvertise(gatewayID: 1, durationSeconds: 900)), "05 00 01 03 84")
    }

    @Test("§5.4.2 SEARCHGW with radius 1")
    func searchGateway() throws {
        try expectVector(.searchGateway(radius: 1), "03 01 01")
    }

    @Test("§5.4.3 GWINFO sent by a gateway has no GwAdd")
    func gatewayInfoFromGateway() throws {
        try expectVector(.gatewayInfo(MQTTSNGatewayInfo(gatewayID: 7)), "03 02 07")
    }

    @Test("§5.4.3 GWINFO sent by a client carries the gateway's address")
    func gatewayInfoFromClient() throws {
        let info = MQTTSNGatewayInfo(gatewayID: 7, gatewayAddress: [192, 168, 1, 2])
        try expectVector(.gatewayInfo(info), "07 02 07 C0 A8 01 02")
    }

    @Test("§5.4.4 CONNECT with Will and CleanSession, ProtocolId 0x01, Duration 60")
    func connectWithWill() throws {
        let connect = MQTTSNConnect(will: true, cleanSession: true, durationSeconds: 60, clientID: "c1")
        try expectVector(.connect(connect), "08 04 0C 01 00 3C 63 31")
    }

    @Test("§5.4.4 CONNECT with CleanSession off and no will")
    func connectPersistent() throws {
        let connect = MQTTSNConnect(will: false, cleanSession: false, durationSeconds: 0xFFFF, clientID: "sensor-7")
        try expectVector(.connect(connect), "0E 04 00 01 FF FF 73 65 6E 73 6F 72 2D 37")
    }

    @Test("§5.4.4 CONNECT: flag bits the message does not use are ignored on decode")
    func connectIgnoresUnusedFlags() throws {
        // DUP, QoS 1, Retain and TopicIdType set: §5.3.4 lists only Will and CleanSession for CONNECT.
        let connect = MQTTSNConnect(will: false, cleanSession: true, durationSeconds: 60, clientID: "c1")
        try expectDecodes("08 04 B5 01 00 3C 63 31", to: .connect(connect))
    }

    @Test("§5.4.5 CONNACK accepted, and §5.3.10 rejected: congestion")
    func connAck() throws {
        try expectVector(.connAck(.accepted), "03 05 00")
        try expectVector(.connAck(.rejectedCongestion), "03 05 01")
    }

    @Test("§5.3.10 every return code, reserved ones kept as sent")
    func returnCodes() throws {
        try expectVector(.connAck(.rejectedInvalidTopicID), "03 05 02")
        try expectVector(.connAck(.rejectedNotSupported), "03 05 03")
        try expectVector(.connAck(MQTTSNReturnCode(0x7F)), "03 05 7F")
        #expect(MQTTSNReturnCode.accepted.isAccepted)
        #expect(!MQTTSNReturnCode.rejectedCongestion.isAccepted)
    }

    @Test("§5.4.6 WILLTOPICREQ is the header alone")
    func willTopicRequest() throws {
        try expectVector(.willTopicRequest, "02 06")
    }

    @Test("§5.4.7 WILLTOPIC with QoS 1 and Retain")
    func willTopic() throws {
        let will = MQTTSNWillTopic(qos: .atLeastOnce, retain: true, topic: "w/t")
        try expectVector(.willTopic(will), "06 07 30 77 2F 74")
    }

    @Test("§5.4.7 empty WILLTOPIC (exactly two octets) deletes the will")
    func emptyWillTopic() throws {
        try expectVector(.willTopic(nil), "02 07")
    }

    @Test("§5.4.8 WILLMSGREQ is the header alone")
    func willMessageRequest() throws {
        try expectVector(.willMessageRequest, "02 08")
    }

    @Test("§5.4.9 WILLMSG carries the will message to the end")
    func willMessage() throws {
        try expectVector(.willMessage(payload("bye")), "05 09 62 79 65")
    }
}
