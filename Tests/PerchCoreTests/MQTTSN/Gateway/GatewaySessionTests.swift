import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// Clean session (MQTT-SN v1.2 §6.3) and will update (§6.4).
@Suite("MQTTSNGateway: clean session and will update")
struct GatewaySessionTests {
    @Test("§6.3: clean session off keeps registrations and subscriptions across DISCONNECT and CONNECT")
    func resume() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a", cleanSession: false)
        let id = harness.register("t/1", from: "a")
        harness.receive(.subscribe(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 2, topic: .name("cmd/#"))), from: "a")
        var actions = harness.receive(.disconnect(durationSeconds: nil), from: "a")
        #expect(actions.subscriptionChanges.isEmpty)
        #expect(actions.forgotten.isEmpty)
        #expect(actions.stored.last?.isDisconnected == true)
        actions = harness.connect("n1", from: "b", cleanSession: false)
        #expect(actions.subscriptionChanges.isEmpty)
        #expect(harness.receive(publishPacket(.normal(id), "x"), from: "b").publishedTexts == ["site/t/1=x"])
        #expect(harness.downlink("site/cmd/go", "1").sent(to: "b").count == 1) // a REGISTER
    }

    @Test("§6.3: clean session on drops registrations and subscriptions of the earlier session")
    func cleanStart() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a", cleanSession: false)
        let id = harness.register("t/1", from: "a")
        harness.receive(.subscribe(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 2, topic: .name("cmd/#"))), from: "a")
        harness.receive(.disconnect(durationSeconds: nil), from: "a")
        let actions = harness.connect("n1", from: "a", cleanSession: true)
        #expect(actions.subscriptionChanges == ["-site/cmd/#"])
        #expect(harness.receive(publishPacket(.normal(id), "x"), from: "a").sent(to: "a")
            == [.pubAck(MQTTSNTopicAck(topicID: id, messageID: 0, returnCode: .rejectedInvalidTopicID))])
    }

    @Test("§6.3: clean session off without the Will flag keeps the will; with it, the will is asked for again")
    func willKept() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.receive(.connect(MQTTSNConnect(will: true, cleanSession: false, durationSeconds: 10, clientID: "n1")), from: "a")
        harness.receive(.willTopic(MQTTSNWillTopic(topic: "w")), from: "a")
        harness.receive(.willMessage(.init(string: "bye")), from: "a")
        harness.receive(.disconnect(durationSeconds: nil), from: "a")
        harness.connect("n1", from: "a", duration: 10, cleanSession: false)
        let actions = harness.advance(by: .seconds(15))
        #expect(actions.publishedTexts == ["site/w=bye", "perch/gw/status/clients/n1=lost"])
        // A lost clean-session-off client keeps its session, not its (published) will.
        #expect(harness.gateway.state(ofClient: "n1") == .lost)
        #expect(actions.stored.last?.will == nil)
    }

    @Test("§6.4: WILLTOPICUPD and WILLMSGUPD change the will that a loss publishes")
    func willUpdate() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a", duration: 10)
        #expect(harness.receive(.willMessageUpdate(.init(string: "m")), from: "a").sent(to: "a") == [.willMessageResponse(.rejectedNotSupported)])
        var actions = harness.receive(.willTopicUpdate(MQTTSNWillTopic(qos: .atMostOnce, retain: false, topic: "w/1")), from: "a")
        #expect(actions.sent(to: "a") == [.willTopicResponse(.accepted)])
        actions = harness.receive(.willMessageUpdate(.init(string: "gone")), from: "a")
        #expect(actions.sent(to: "a") == [.willMessageResponse(.accepted)])
        #expect(actions.stored.last?.will == MQTTSNWill(topic: "w/1", payload: Array("gone".utf8), qos: 0, retain: false))
        #expect(harness.advance(by: .seconds(15)).publishedTexts.first == "site/w/1=gone")
    }

    @Test("§6.4: an empty WILLTOPICUPD deletes the will")
    func willDelete() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a", duration: 10)
        harness.receive(.willTopicUpdate(MQTTSNWillTopic(topic: "w/1")), from: "a")
        #expect(harness.receive(.willTopicUpdate(nil), from: "a").sent(to: "a") == [.willTopicResponse(.accepted)])
        #expect(harness.advance(by: .seconds(15)).publishedTexts == ["perch/gw/status/clients/n1=lost"])
    }
}
