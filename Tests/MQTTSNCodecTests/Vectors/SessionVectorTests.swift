import MQTTSNCodec
import NIOCore
import Testing

/// Hex vectors for keep-alive, sleep and will updates (MQTT-SN v1.2 §5.4.19–§5.4.25).
@Suite("MQTT-SN vectors: ping, disconnect, will updates")
struct SessionVectorTests {
    @Test("§5.4.19 PINGREQ without a client id")
    func pingRequest() throws {
        try expectVector(.pingRequest(clientID: nil), "02 16")
    }

    @Test("§5.4.19 PINGREQ with the client id of a sleeping client waking up")
    func pingRequestWithClientID() throws {
        try expectVector(.pingRequest(clientID: "c1"), "04 16 63 31")
    }

    @Test("§5.4.20 PINGRESP is the header alone")
    func pingResponse() throws {
        try expectVector(.pingResponse, "02 17")
    }

    @Test("§5.4.21 DISCONNECT without a duration")
    func disconnect() throws {
        try expectVector(.disconnect(durationSeconds: nil), "02 18")
    }

    @Test("§5.4.21 DISCONNECT with a sleep duration of 300 s")
    func disconnectToSleep() throws {
        try expectVector(.disconnect(durationSeconds: 300), "04 18 01 2C")
    }

    @Test("§5.4.22 WILLTOPICUPD with QoS 2 and a new topic")
    func willTopicUpdate() throws {
        try expectVector(.willTopicUpdate(MQTTSNWillTopic(qos: .exactlyOnce, topic: "w")), "04 1A 40 77")
    }

    @Test("§5.4.22 empty WILLTOPICUPD deletes the will")
    func emptyWillTopicUpdate() throws {
        try expectVector(.willTopicUpdate(nil), "02 1A")
    }

    @Test("§5.4.23 WILLMSGUPD carries the new will message")
    func willMessageUpdate() throws {
        try expectVector(.willMessageUpdate(payload("x")), "03 1C 78")
    }

    @Test("§5.4.24 WILLTOPICRESP accepted")
    func willTopicResponse() throws {
        try expectVector(.willTopicResponse(.accepted), "03 1B 00")
    }

    @Test("§5.4.25 WILLMSGRESP rejected: not supported")
    func willMessageResponse() throws {
        try expectVector(.willMessageResponse(.rejectedNotSupported), "03 1D 03")
    }
}
