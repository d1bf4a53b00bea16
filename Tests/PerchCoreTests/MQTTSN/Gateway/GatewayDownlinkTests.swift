import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// Gateway → client PUBLISH (MQTT-SN v1.2 §6.10) and its retransmission (§6.13).
@Suite("MQTTSNGateway: downlink")
struct GatewayDownlinkTests {
    private func connected(retryCount: Int = 2) throws -> GatewayHarness {
        var harness = GatewayHarness(try GatewayHarness.configuration(retryCount: retryCount))
        harness.connect("n1", from: "a", duration: 0)
        harness.subscribed(MQTTSNSubscribe(qos: .exactlyOnce, messageID: 1, topic: .predefined(2)), from: "a")
        return harness
    }

    private func publishes(_ actions: [GatewayHarness.Action]) -> [MQTTSNPublish] {
        actions.sent(to: "a").compactMap { if case .publish(let publish) = $0 { return publish } else { return nil } }
    }

    @Test("§6.10: one QoS 1 message in flight; the next waits for the PUBACK")
    func oneInFlight() throws {
        var harness = try connected()
        let first = publishes(harness.downlink("site/cmd/led", "1", qos: .atLeastOnce))
        #expect(first.count == 1)
        #expect(publishes(harness.downlink("site/cmd/led", "2", qos: .atLeastOnce)).isEmpty)
        let ack = MQTTSNTopicAck(topicID: 2, messageID: try #require(first.first).messageID)
        let next = publishes(harness.receive(.pubAck(ack), from: "a"))
        #expect(next.map { String(buffer: $0.payload) } == ["2"])
        #expect(next.first?.messageID != first.first?.messageID)
    }

    @Test("§6.13: a QoS 1 PUBLISH is sent again with DUP each Tretry; after Nretry the client is lost")
    func retransmission() throws {
        var harness = try connected(retryCount: 2)
        let original = try #require(publishes(harness.downlink("site/cmd/led", "1", qos: .atLeastOnce)).first)
        #expect(!original.dup)
        var again = original
        again.dup = true
        #expect(publishes(harness.advance(by: .seconds(10))) == [again])
        #expect(publishes(harness.advance(by: .seconds(10))) == [again])
        let actions = harness.advance(by: .seconds(10))
        #expect(publishes(actions).isEmpty)
        #expect(actions.publishedTexts == ["perch/gw/status/clients/n1=lost"])
        #expect(harness.gateway.statistics.lost == 1)
    }

    @Test("§6.10: QoS 2 downlink is PUBLISH, PUBREC → PUBREL, PUBCOMP; a lost PUBREL is repeated")
    func qosTwo() throws {
        var harness = try connected()
        let publish = try #require(publishes(harness.downlink("site/cmd/led", "1", qos: .exactlyOnce)).first)
        #expect(publish.qos == .exactlyOnce)
        #expect(harness.receive(.pubRec(messageID: publish.messageID), from: "a") == [.send(.pubRel(messageID: publish.messageID), to: "a")])
        #expect(harness.advance(by: .seconds(10)).sent(to: "a") == [.pubRel(messageID: publish.messageID)])
        #expect(harness.receive(.pubComp(messageID: publish.messageID), from: "a").isEmpty)
        #expect(publishes(harness.downlink("site/cmd/led", "2", qos: .exactlyOnce)).count == 1)
    }

    @Test("the QoS delivered is the lower of the message's and the subscription's")
    func qosDowngrade() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .predefined(2)), from: "a")
        let sent = publishes(harness.downlink("site/cmd/led", "1", qos: .exactlyOnce))
        #expect(sent.map(\.qos) == [.atMostOnce])
        #expect(sent.map(\.messageID) == [0])
    }

    @Test("a disconnected client gets nothing; a message outside the mountpoint reaches nobody")
    func notDelivered() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a", cleanSession: false)
        harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .predefined(2)), from: "a")
        #expect(harness.downlink("other/cmd/led", "1").isEmpty)
        harness.receive(.disconnect(durationSeconds: nil), from: "a")
        #expect(harness.downlink("site/cmd/led", "1").isEmpty)
        #expect(harness.gateway.state(ofClient: "n1") == .disconnected)
    }
}
