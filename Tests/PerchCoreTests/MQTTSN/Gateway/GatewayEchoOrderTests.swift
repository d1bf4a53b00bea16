import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// A client subscribed to the topic it publishes on hears its PUBACK before the
/// broker's echo of that message (issue 20 item 6: the Paho sample `pub0sub1`).
@Suite("MQTTSNGateway: the publisher's PUBACK before the echo")
struct GatewayEchoOrderTests {
    /// Connects "node-1" at "a" subscribed to `cmd/led` (predefined id 2), QoS 1.
    static func subscribedHarness() throws -> GatewayHarness {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        harness.subscribed(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 1, topic: .predefined(2)), from: "a")
        return harness
    }

    @Test("§6.6, §6.10: an echo that reaches the gateway before the uplink's answer waits for the PUBACK")
    func echoWaitsForPubAck() throws {
        var harness = try Self.subscribedHarness()
        var actions = harness.receive(publishPacket(.predefined(2), "on", qos: .atLeastOnce, messageID: 7), from: "a")
        let receipt = try #require(actions.published.first?.receipt)
        // Mosquitto sends the echo before its PUBACK: it arrives first.
        actions = harness.downlink("site/cmd/led", "on", qos: .atLeastOnce)
        #expect(actions.sent(to: "a").isEmpty, "sent before the PUBACK: \(actions.sent(to: "a"))")
        actions = harness.complete(receipt)
        let sent = actions.sent(to: "a")
        #expect(sent.count == 2)
        #expect(sent.first == .pubAck(MQTTSNTopicAck(topicID: 2, messageID: 7)))
        guard case .publish(let echo)? = sent.last else {
            Issue.record("expected the echo after the PUBACK, got \(sent)")
            return
        }
        #expect(echo.topic == .predefined(2))
        #expect(String(buffer: echo.payload) == "on")
    }

    @Test("QoS 2: the echo waits for the PUBREC; a refusal releases it too")
    func qosTwoAndRefusal() throws {
        var harness = try Self.subscribedHarness()
        var actions = harness.receive(publishPacket(.predefined(2), "x", qos: .exactlyOnce, messageID: 8), from: "a")
        let receipt = try #require(actions.published.first?.receipt)
        #expect(harness.downlink("site/cmd/led", "x", qos: .atLeastOnce).sent(to: "a").isEmpty)
        actions = harness.complete(receipt)
        #expect(actions.sent(to: "a").first == .pubRec(messageID: 8))
        #expect(actions.sent(to: "a").count == 2)
        // The echo is in flight now; acknowledge it.
        guard case .publish(let echo)? = actions.sent(to: "a").last else {
            Issue.record("expected the echo, got \(actions.sent(to: "a"))")
            return
        }
        harness.receive(.pubAck(MQTTSNTopicAck(topicID: 2, messageID: echo.messageID)), from: "a")

        actions = harness.receive(publishPacket(.predefined(2), "y", qos: .atLeastOnce, messageID: 9), from: "a")
        let refused = try #require(actions.published.first?.receipt)
        #expect(harness.downlink("site/cmd/led", "y").sent(to: "a").isEmpty)
        actions = harness.complete(refused, accepted: false)
        #expect(actions.sent(to: "a").first == .pubAck(MQTTSNTopicAck(topicID: 2, messageID: 9, returnCode: .rejectedCongestion)))
        #expect(actions.sent(to: "a").count == 2)
    }

    @Test("downlink on other topics is not held; other subscribers get the message at once")
    func onlyTheSameTopicWaits() throws {
        var harness = try Self.subscribedHarness()
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 2, topic: .predefined(1)), from: "a")
        harness.connect("node-2", from: "b")
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .predefined(2)), from: "b")
        let actions = harness.receive(publishPacket(.predefined(2), "on", qos: .atLeastOnce, messageID: 7), from: "a")
        #expect(actions.published.first?.receipt != nil)
        #expect(harness.downlink("site/sensors/temperature", "20").sent(to: "a").count == 1)
        let echo = harness.downlink("site/cmd/led", "on")
        #expect(echo.sent(to: "a").isEmpty)
        #expect(echo.sent(to: "b").count == 1)
    }
}
