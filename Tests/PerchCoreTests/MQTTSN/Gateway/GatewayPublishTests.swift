import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// Client → gateway PUBLISH (MQTT-SN v1.2 §6.5, §6.6, §6.7, §6.8) and SPEC §5's
/// acknowledgement after the uplink's answer.
@Suite("MQTTSNGateway: publish from clients")
struct GatewayPublishTests {
    @Test("§6.8: QoS -1 with a predefined id or a short name, from an address with no session")
    func qosMinusOne() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        var actions = harness.receive(publishPacket(.predefined(1), "21.5", qos: .minusOne), from: "x")
        #expect(actions.publishedTexts == ["site/sensors/temperature=21.5"])
        #expect(actions.published.first?.receipt == nil)
        actions = harness.receive(publishPacket(.shortName(try #require(MQTTSNShortTopicName("ab"))), "1", qos: .minusOne), from: "x")
        #expect(actions.publishedTexts == ["site/ab=1"])
        #expect(actions.sent.isEmpty)
        // A normal id means nothing without a connection.
        #expect(harness.receive(publishPacket(.normal(1), "1", qos: .minusOne), from: "x").isEmpty)
        #expect(harness.gateway.statistics.invalid == 1)
    }

    @Test("§6.5, §6.6: REGISTER then PUBLISH QoS 0 goes upstream through the mountpoint, retain kept")
    func qosZero() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        let id = harness.register("greenhouse/temp", from: "a")
        #expect(id != 0)
        let actions = harness.receive(publishPacket(.normal(id), "20", retain: true), from: "a")
        #expect(actions.publishedTexts == ["site/greenhouse/temp=20"])
        #expect(actions.published.first?.message.retain == true)
        #expect(actions.published.first?.message.qos == .atMostOnce)
        #expect(actions.sent.isEmpty)
    }

    @Test("§6.5: an unknown topic id is answered PUBACK rejected: invalid topic ID, at any QoS")
    func unknownTopicID() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        for qos in [MQTTSNQoS.atMostOnce, .atLeastOnce, .exactlyOnce] {
            let actions = harness.receive(publishPacket(.normal(42), "x", qos: qos, messageID: 5), from: "a")
            #expect(actions == [.send(.pubAck(MQTTSNTopicAck(topicID: 42, messageID: 5, returnCode: .rejectedInvalidTopicID)), to: "a")])
        }
        let actions = harness.receive(publishPacket(.predefined(99), "x", qos: .atLeastOnce, messageID: 6), from: "a")
        #expect(actions.sent(to: "a") == [.pubAck(MQTTSNTopicAck(topicID: 99, messageID: 6, returnCode: .rejectedInvalidTopicID))])
    }

    @Test("SPEC §5: QoS 1 is acknowledged only after the uplink's answer; a refusal is congestion")
    func qosOne() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        var actions = harness.receive(publishPacket(.predefined(1), "1", qos: .atLeastOnce, messageID: 10), from: "a")
        #expect(actions.sent.isEmpty)
        let receipt = try #require(actions.published.first?.receipt)
        #expect(actions.published.first?.message.qos == .atLeastOnce)
        // A retransmission while waiting is not forwarded again.
        #expect(harness.receive(publishPacket(.predefined(1), "1", qos: .atLeastOnce, messageID: 10, dup: true), from: "a").isEmpty)
        actions = harness.complete(receipt)
        #expect(actions.sent(to: "a") == [.pubAck(MQTTSNTopicAck(topicID: 1, messageID: 10))])
        // Completing twice does nothing.
        #expect(harness.complete(receipt).isEmpty)

        actions = harness.receive(publishPacket(.predefined(1), "2", qos: .atLeastOnce, messageID: 11), from: "a")
        let refused = try #require(actions.published.first?.receipt)
        actions = harness.complete(refused, accepted: false)
        #expect(actions.sent(to: "a") == [.pubAck(MQTTSNTopicAck(topicID: 1, messageID: 11, returnCode: .rejectedCongestion))])
    }

    @Test("§6.6: QoS 2 is PUBREC after the uplink, a duplicate is answered not forwarded, PUBREL → PUBCOMP")
    func qosTwo() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        let short = try #require(MQTTSNShortTopicName("tt"))
        var actions = harness.receive(publishPacket(.shortName(short), "x", qos: .exactlyOnce, messageID: 3), from: "a")
        #expect(actions.published.first?.message.qos == .exactlyOnce)
        let receipt = try #require(actions.published.first?.receipt)
        actions = harness.complete(receipt)
        #expect(actions.sent(to: "a") == [.pubRec(messageID: 3)])
        actions = harness.receive(publishPacket(.shortName(short), "x", qos: .exactlyOnce, messageID: 3, dup: true), from: "a")
        #expect(actions == [.send(.pubRec(messageID: 3), to: "a")])
        #expect(harness.receive(.pubRel(messageID: 3), from: "a") == [.send(.pubComp(messageID: 3), to: "a")])
        // After PUBCOMP the MsgId is free again: the same id is a new message.
        actions = harness.receive(publishPacket(.shortName(short), "y", qos: .exactlyOnce, messageID: 3), from: "a")
        #expect(actions.publishedTexts == ["site/tt=y"])
    }

    @Test("§6.6: PUBREL for an unknown MsgId is answered PUBCOMP")
    func unknownPubRel() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        #expect(harness.receive(.pubRel(messageID: 77), from: "a") == [.send(.pubComp(messageID: 77), to: "a")])
    }

    @Test("an uplink answer for an earlier connection of the client is dropped")
    func staleReceipt() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        let actions = harness.receive(publishPacket(.predefined(1), "1", qos: .atLeastOnce, messageID: 10), from: "a")
        let receipt = try #require(actions.published.first?.receipt)
        harness.connect("node-1", from: "a")
        #expect(harness.complete(receipt).isEmpty)
    }
}
