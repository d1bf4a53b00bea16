import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// Sleeping clients (MQTT-SN v1.2 §6.14).
@Suite("MQTTSNGateway: sleeping clients")
struct GatewaySleepTests {
    private func asleep(sleepingBuffer: Int = 100) throws -> GatewayHarness {
        var harness = GatewayHarness(try GatewayHarness.configuration(sleepingBuffer: sleepingBuffer))
        harness.connect("n1", from: "a", duration: 10)
        harness.subscribed(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 1, topic: .name("cmd/#")), from: "a")
        let actions = harness.receive(.disconnect(durationSeconds: 60), from: "a")
        #expect(actions.sent(to: "a") == [.disconnect(durationSeconds: nil)])
        #expect(actions.publishedTexts == ["perch/gw/status/clients/n1=asleep"])
        return harness
    }

    @Test("§6.14: held messages are delivered on PINGREQ(client id), REGISTER first, PINGRESP only after the acks")
    func sleepCycle() throws {
        var harness = try asleep()
        #expect(harness.gateway.state(ofClient: "n1") == .asleep)
        #expect(harness.gateway.statistics.asleep == 1)
        #expect(harness.downlink("site/cmd/a", "1", qos: .atLeastOnce).isEmpty)
        #expect(harness.downlink("site/cmd/a", "2", qos: .atMostOnce).isEmpty)
        // Wakes from another port.
        var actions = harness.receive(.pingRequest(clientID: "n1"), from: "a2")
        guard case .register(let register)? = actions.sent(to: "a2").first, actions.sent.count == 1 else {
            Issue.record("expected one REGISTER, got \(actions)")
            return
        }
        #expect(harness.gateway.state(ofClient: "n1") == .awake)
        actions = harness.receive(.regAck(MQTTSNTopicAck(topicID: register.topicID, messageID: register.messageID)), from: "a2")
        guard case .publish(let first)? = actions.sent(to: "a2").first, actions.sent.count == 1 else {
            Issue.record("expected one PUBLISH, got \(actions)")
            return
        }
        #expect(String(buffer: first.payload) == "1")
        actions = harness.receive(.pubAck(MQTTSNTopicAck(topicID: register.topicID, messageID: first.messageID)), from: "a2")
        // The QoS 0 one counts as delivered once sent; then PINGRESP, asleep again.
        #expect(actions.sent(to: "a2").count == 2)
        #expect(actions.sent(to: "a2").last == .pingResponse)
        #expect(harness.gateway.state(ofClient: "n1") == .asleep)
    }

    @Test("§6.14: waking with nothing held gets PINGRESP at once")
    func wakeEmpty() throws {
        var harness = try asleep()
        #expect(harness.receive(.pingRequest(clientID: "n1"), from: "a") == [.send(.pingResponse, to: "a")])
        #expect(harness.gateway.state(ofClient: "n1") == .asleep)
    }

    @Test("§6.14: the sleep timer (1.5 × sleep duration) expires → lost")
    func sleepTimerExpires() throws {
        var harness = try asleep()
        #expect(harness.advance(by: .seconds(89)).isEmpty)
        let actions = harness.advance(by: .seconds(1))
        #expect(actions.publishedTexts == ["perch/gw/status/clients/n1=lost"])
        #expect(harness.gateway.statistics.asleep == 0)
    }

    @Test("§6.14: a full sleeping buffer drops the oldest message, counted")
    func bufferOverflow() throws {
        var harness = try asleep(sleepingBuffer: 2)
        harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 9, topicName: "cmd/a")), from: "a")
        for text in ["1", "2", "3"] { harness.downlink("site/cmd/a", text) }
        #expect(harness.gateway.statistics.dropped == 1)
        let actions = harness.receive(.pingRequest(clientID: "n1"), from: "a")
        let payloads = actions.sent(to: "a").compactMap { packet -> String? in
            if case .publish(let publish) = packet { return String(buffer: publish.payload) } else { return nil }
        }
        #expect(payloads == ["2", "3"])
        #expect(actions.sent(to: "a").last == .pingResponse)
    }

    @Test("§6.14: CONNECT from asleep makes the client active; DISCONNECT without duration disconnects, no will")
    func connectFromAsleep() throws {
        var harness = try asleep()
        harness.connect("n1", from: "a", duration: 10, cleanSession: false)
        #expect(harness.gateway.state(ofClient: "n1") == .active)
        #expect(harness.gateway.statistics.asleep == 0)
        let actions = harness.receive(.disconnect(durationSeconds: nil), from: "a")
        #expect(actions.publishedTexts == ["perch/gw/status/clients/n1=offline"])
    }

    @Test("§6.14: PINGREQ(client id) for an unknown client gets DISCONNECT")
    func wakeUnknown() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        #expect(harness.receive(.pingRequest(clientID: "ghost"), from: "g") == [.send(.disconnect(durationSeconds: nil), to: "g")])
    }
}
