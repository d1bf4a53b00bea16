import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// REGISTER/REGACK in both directions (MQTT-SN v1.2 §6.5, §6.10).
@Suite("MQTTSNGateway: register")
struct GatewayRegisterTests {
    @Test("§6.5: the same name gets the same id; a wildcard name is not supported")
    func clientRegister() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        let first = harness.register("a/b", from: "a")
        #expect(harness.register("a/b", from: "a", messageID: 2) == first)
        let actions = harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 3, topicName: "a/+")), from: "a")
        #expect(actions.sent(to: "a") == [.regAck(MQTTSNTopicAck(topicID: 0, messageID: 3, returnCode: .rejectedNotSupported))])
    }

    @Test("§6.10: a wildcard match on an unknown topic sends REGISTER first and holds the PUBLISH until REGACK")
    func gatewayRegister() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .name("alerts/#")), from: "a")
        var actions = harness.downlink("site/alerts/fire", "hot")
        guard case .register(let register)? = actions.sent(to: "a").first else {
            Issue.record("expected REGISTER, got \(actions)")
            return
        }
        #expect(register.topicName == "alerts/fire")
        #expect(actions.sent.count == 1)
        // A second message on the same topic waits behind it.
        #expect(harness.downlink("site/alerts/fire", "hotter").isEmpty)
        actions = harness.receive(.regAck(MQTTSNTopicAck(topicID: register.topicID, messageID: register.messageID)), from: "a")
        let publishes = actions.sent(to: "a").compactMap { packet -> String? in
            guard case .publish(let publish) = packet, publish.topic == .normal(register.topicID) else { return nil }
            return String(buffer: publish.payload)
        }
        #expect(publishes == ["hot", "hotter"])
        // The id now works uplink too.
        #expect(harness.receive(publishPacket(.normal(register.topicID), "ack"), from: "a").publishedTexts == ["site/alerts/fire=ack"])
        // And no REGISTER the next time.
        #expect(harness.downlink("site/alerts/fire", "again").sent(to: "a").count == 1)
    }

    @Test("§6.10: a REGACK with a rejection drops the held message; the next topic proceeds")
    func registerRejected() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .name("alerts/#")), from: "a")
        var actions = harness.downlink("site/alerts/fire", "hot")
        guard case .register(let register)? = actions.sent(to: "a").first else {
            Issue.record("expected REGISTER")
            return
        }
        actions = harness.receive(.regAck(MQTTSNTopicAck(topicID: register.topicID, messageID: register.messageID, returnCode: .rejectedCongestion)), from: "a")
        #expect(actions.sent.isEmpty)
        #expect(harness.gateway.statistics.dropped == 1)
        actions = harness.downlink("site/alerts/flood", "wet")
        guard case .register(let second)? = actions.sent(to: "a").first else {
            Issue.record("expected a second REGISTER")
            return
        }
        #expect(second.topicName == "alerts/flood")
    }

    @Test("§6.13: an unanswered REGISTER is sent again each Tretry; after Nretry the client is lost")
    func registerRetransmitted() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(retryCount: 2))
        harness.connect("node-1", from: "a", duration: 0)
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .name("alerts/#")), from: "a")
        let first = harness.downlink("site/alerts/fire", "hot").sent(to: "a")
        var actions = harness.advance(by: .seconds(10))
        #expect(actions.sent(to: "a") == first)
        actions = harness.advance(by: .seconds(10))
        #expect(actions.sent(to: "a") == first)
        actions = harness.advance(by: .seconds(10))
        #expect(actions.publishedTexts == ["perch/gw/status/clients/node-1=lost"])
        #expect(harness.gateway.state(ofClient: "node-1") == nil)
        #expect(actions.subscriptionChanges == ["-site/alerts/#"])
    }
}
