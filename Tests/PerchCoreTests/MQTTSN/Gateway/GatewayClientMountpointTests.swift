import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// A `${clientid}` mountpoint (SPEC §1, `uplink.mountpoint`): every client's
/// topics go under its own prefix, in both directions.
@Suite("MQTTSNGateway: per-client mountpoint")
struct GatewayClientMountpointTests {
    @Test("published topics, predefined ids, short names and wills go under the client's own prefix")
    func uplinkTopics() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(mountpoint: "site/${clientid}/"))
        harness.receive(.connect(MQTTSNConnect(will: true, cleanSession: true, durationSeconds: 60, clientID: "n1")), from: "a")
        harness.receive(.willTopic(MQTTSNWillTopic(qos: .atMostOnce, retain: false, topic: "lwt")), from: "a")
        harness.receive(.willMessage(.init(string: "gone")), from: "a")
        let id = harness.register("temp", from: "a")
        #expect(harness.receive(publishPacket(.normal(id), "20"), from: "a").publishedTexts == ["site/n1/temp=20"])
        #expect(harness.receive(publishPacket(.predefined(1), "21"), from: "a").publishedTexts == ["site/n1/sensors/temperature=21"])
        let short = try #require(MQTTSNShortTopicName("ab"))
        #expect(harness.receive(publishPacket(.shortName(short), "1", qos: .minusOne), from: "a").publishedTexts == ["site/n1/ab=1"])

        harness.connect("n2", from: "b")
        #expect(harness.receive(publishPacket(.predefined(1), "5"), from: "b").publishedTexts == ["site/n2/sensors/temperature=5"])

        // The will goes under the lost client's prefix.
        let lost = harness.advance(by: .seconds(200))
        #expect(lost.publishedTexts.contains("site/n1/lwt=gone"), "\(lost.publishedTexts)")
    }

    @Test("QoS -1 from an address with no session has no client id, so no place upstream: dropped, counted")
    func qosMinusOneWithoutClient() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(mountpoint: "site/${clientid}/"))
        #expect(harness.receive(publishPacket(.predefined(1), "21.5", qos: .minusOne), from: "x").isEmpty)
        #expect(harness.gateway.statistics.invalid == 1)
    }

    @Test("two clients subscribing to one local filter hold two upstream subscriptions and get only their own messages")
    func downlinkPerClient() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(mountpoint: "site/${clientid}/"))
        harness.connect("n1", from: "a")
        harness.connect("n2", from: "b")
        let first = harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .name("cmd/#")), from: "a")
        let second = harness.subscribed(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .name("cmd/#")), from: "b")
        #expect(first.subscriptionChanges == ["+site/n1/cmd/#@0"])
        #expect(second.subscriptionChanges == ["+site/n2/cmd/#@0"])
        let down = harness.downlink("site/n2/cmd/led", "on")
        #expect(down.sent(to: "a").isEmpty)
        #expect(down.sent(to: "b").count == 1, "\(down)")
    }
}
