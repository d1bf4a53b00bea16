import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// SUBSCRIBE/UNSUBSCRIBE (MQTT-SN v1.2 §6.9) and the reference-counted upstream
/// subscriptions of the aggregating gateway (SPEC §3).
@Suite("MQTTSNGateway: subscribe")
struct GatewaySubscribeTests {
    private func subscribe(_ harness: inout GatewayHarness, _ topic: MQTTSNSubscriptionTopic, qos: MQTTSNQoS = .atLeastOnce, from peer: String, messageID: UInt16 = 1) -> [GatewayHarness.Action] {
        harness.receive(.subscribe(MQTTSNSubscribe(qos: qos, messageID: messageID, topic: topic)), from: peer)
    }

    @Test("§6.9: a plain name gets its id in the SUBACK, sent once the broker has the upstream SUBSCRIBE")
    func name() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        let actions = subscribe(&harness, .name("cmd/valve"), from: "a")
        #expect(actions.sent(to: "a") == [], "no SUBACK before the broker's")
        #expect(actions.subscriptionChanges == ["+site/cmd/valve@1"])
        let settled = harness.settle("site/cmd/valve")
        guard case .send(.subAck(let ack), "a")? = settled.first else {
            Issue.record("SUBACK once settled, got \(settled)")
            return
        }
        #expect(ack.returnCode == .accepted && ack.topicID != 0 && ack.qos == .atLeastOnce && ack.messageID == 1)
        // Downlink uses that id directly, no REGISTER.
        let down = harness.downlink("site/cmd/valve", "open", qos: .atLeastOnce).sent(to: "a")
        guard case .publish(let publish)? = down.first else {
            Issue.record("expected PUBLISH")
            return
        }
        #expect(publish.topic == .normal(ack.topicID) && publish.qos == .atLeastOnce && publish.messageID != 0)
    }

    @Test("a retained message the broker sends before its SUBACK waits behind the client's SUBACK; a retransmitted SUBSCRIBE releases it too")
    func downlinkWaitsForHeldSubAck() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        _ = subscribe(&harness, .name("cmd/valve"), qos: .atMostOnce, from: "a")
        // The broker's retained PUBLISH overtakes its SUBACK on the way in.
        #expect(harness.downlink("site/cmd/valve", "open", retain: true).sent(to: "a") == [], "nothing before the SUBACK")
        let settled = harness.settle("site/cmd/valve").sent(to: "a")
        #expect(settled.count == 2, "\(settled)")
        guard case .subAck(let ack)? = settled.first, case .publish(let publish)? = settled.last else {
            Issue.record("SUBACK then PUBLISH, got \(settled)")
            return
        }
        #expect(publish.topic == .normal(ack.topicID) && publish.retain)

        // Uplink down: the client retransmits its SUBSCRIBE, answered at once,
        // and what waited behind the first SUBACK goes out after the second.
        _ = subscribe(&harness, .name("cmd/door"), qos: .atMostOnce, from: "a", messageID: 2)
        #expect(harness.downlink("site/cmd/valve", "shut").sent(to: "a") == [])
        let again = subscribe(&harness, .name("cmd/door"), qos: .atMostOnce, from: "a", messageID: 2).sent(to: "a")
        guard again.count == 2, case .subAck(let second) = again[0], case .publish(let next) = again[1] else {
            Issue.record("SUBACK then PUBLISH, got \(again)")
            return
        }
        #expect(second.messageID == 2 && String(buffer: next.payload) == "shut")
        // The broker's late SUBACK sends nothing more.
        #expect(harness.settle("site/cmd/door").sent(to: "a") == [])
    }

    @Test("§6.9: a wildcard filter gets TopicId 0x0000; a predefined id is repeated; a short name gets 0x0000")
    func otherTopicTypes() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        var actions = subscribe(&harness, .name("cmd/+"), qos: .atMostOnce, from: "a")
        #expect(actions.subscriptionChanges == ["+site/cmd/+@0"])
        #expect(harness.settle("site/cmd/+").sent(to: "a") == [.subAck(MQTTSNSubAck(qos: .atMostOnce, topicID: 0, messageID: 1))])
        actions = subscribe(&harness, .predefined(2), from: "a", messageID: 2)
        #expect(actions.subscriptionChanges == ["+site/cmd/led@1"])
        #expect(harness.settle("site/cmd/led").sent(to: "a") == [.subAck(MQTTSNSubAck(qos: .atLeastOnce, topicID: 2, messageID: 2))])
        let short = try #require(MQTTSNShortTopicName("zz"))
        actions = subscribe(&harness, .shortName(short), qos: .atMostOnce, from: "a", messageID: 3)
        #expect(harness.settle("site/zz").sent(to: "a") == [.subAck(MQTTSNSubAck(qos: .atMostOnce, topicID: 0, messageID: 3))])
        // Downlink on the predefined topic uses the predefined id, on the short one the short name.
        #expect(harness.downlink("site/cmd/led", "on").sent(to: "a") == [
            .publish(MQTTSNPublish(qos: .atMostOnce, topic: .predefined(2), payload: .init(string: "on")))
        ])
        #expect(harness.downlink("site/zz", "z").sent(to: "a") == [
            .publish(MQTTSNPublish(qos: .atMostOnce, topic: .shortName(short), payload: .init(string: "z")))
        ])
    }

    @Test("a filter already held upstream is answered at once; a retransmitted SUBSCRIBE too, and only once")
    func subAckWithoutUpstreamChange() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        harness.connect("n2", from: "b")
        #expect(subscribe(&harness, .name("cmd/+"), from: "a").sent(to: "a") == [])
        // The uplink is down, say: the client sends its SUBSCRIBE again (§6.13).
        let again = subscribe(&harness, .name("cmd/+"), from: "a")
        #expect(again.sent(to: "a") == [.subAck(MQTTSNSubAck(qos: .atLeastOnce, topicID: 0, messageID: 1))])
        #expect(again.subscriptionChanges == [])
        // Another client, same filter, same QoS: nothing changes upstream, SUBACK at once.
        let other = subscribe(&harness, .name("cmd/+"), from: "b", messageID: 7)
        #expect(other.sent(to: "b") == [.subAck(MQTTSNSubAck(qos: .atLeastOnce, topicID: 0, messageID: 7))])
        // The broker's late answer sends no second SUBACK to the first client.
        #expect(harness.settle("site/cmd/+").sent(to: "a") == [])
    }

    @Test("a SUBSCRIBE the broker refuses is answered \"rejected: not supported\" and not kept")
    func refusedUpstream() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        _ = subscribe(&harness, .name("cmd/secret"), from: "a")
        let refused = harness.settle("site/cmd/secret", accepted: false)
        guard case .subAck(let ack)? = refused.sent(to: "a").first else {
            Issue.record("expected a SUBACK, got \(refused)")
            return
        }
        #expect(ack.returnCode == .rejectedNotSupported && ack.messageID == 1)
        #expect(refused.subscriptionChanges == ["-site/cmd/secret"])
        #expect(harness.downlink("site/cmd/secret", "x").sent(to: "a") == [])
    }

    @Test("§6.9: an unknown predefined id is rejected: invalid topic ID; an invalid filter not supported")
    func rejections() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        var actions = subscribe(&harness, .predefined(50), from: "a")
        #expect(actions.sent(to: "a").first == .subAck(MQTTSNSubAck(qos: .atLeastOnce, topicID: 0, messageID: 1, returnCode: .rejectedInvalidTopicID)))
        actions = subscribe(&harness, .name("a/#/b"), from: "a", messageID: 2)
        #expect(actions.sent(to: "a").first == .subAck(MQTTSNSubAck(qos: .atLeastOnce, topicID: 0, messageID: 2, returnCode: .rejectedNotSupported)))
        #expect(actions.subscriptionChanges.isEmpty)
    }

    @Test("a second client's SUBSCRIBE of a filter whose upstream SUBSCRIBE is still pending waits for the broker too; its retransmission does not")
    func secondSubscriberWaitsForPendingUpstream() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        harness.connect("n2", from: "b")
        harness.connect("n3", from: "c")
        #expect(subscribe(&harness, .name("cmd/valve"), from: "a").subscriptionChanges == ["+site/cmd/valve@1"])
        let second = subscribe(&harness, .name("cmd/valve"), from: "b", messageID: 5)
        #expect(second.subscriptionChanges.isEmpty)
        #expect(second.sent(to: "b").isEmpty, "SUBACK before the broker has the subscription: \(second.sent(to: "b"))")
        // A retained message from the broker before its SUBACK waits for both.
        #expect(harness.downlink("site/cmd/valve", "open", retain: true).sent.isEmpty)
        let settled = harness.settle("site/cmd/valve")
        #expect(settled.sent(to: "a").first.map { if case .subAck = $0 { true } else { false } } == true)
        #expect(settled.sent(to: "b").first.map { if case .subAck(let ack) = $0 { ack.messageID == 5 } else { false } } == true)
        #expect(settled.sent(to: "b").count == 2)

        // A third client's own retransmission is answered at once (the uplink may be down).
        #expect(subscribe(&harness, .name("cmd/pump"), from: "a", messageID: 2).sent(to: "a").isEmpty)
        #expect(subscribe(&harness, .name("cmd/pump"), from: "c", messageID: 9).sent(to: "c").isEmpty)
        let again = subscribe(&harness, .name("cmd/pump"), from: "c", messageID: 9)
        #expect(again.sent(to: "c").count == 1)
        #expect(harness.settle("site/cmd/pump").sent(to: "c").isEmpty)
    }

    @Test("SPEC §3: upstream subscriptions are reference counted across two clients")
    func referenceCounted() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        harness.connect("n2", from: "b")
        #expect(subscribe(&harness, .name("cmd/#"), qos: .atMostOnce, from: "a").subscriptionChanges == ["+site/cmd/#@0"])
        #expect(subscribe(&harness, .name("cmd/#"), qos: .atMostOnce, from: "b").subscriptionChanges.isEmpty)
        #expect(subscribe(&harness, .name("cmd/#"), qos: .exactlyOnce, from: "b", messageID: 2).subscriptionChanges == ["+site/cmd/#@2"])
        var actions = harness.receive(.unsubscribe(MQTTSNUnsubscribe(messageID: 3, topic: .name("cmd/#"))), from: "b")
        #expect(actions.sent(to: "b") == [.unsubAck(messageID: 3)])
        #expect(actions.subscriptionChanges == ["+site/cmd/#@0"])
        actions = harness.receive(.unsubscribe(MQTTSNUnsubscribe(messageID: 4, topic: .name("cmd/#"))), from: "a")
        #expect(actions.subscriptionChanges == ["-site/cmd/#"])
        #expect(harness.gateway.upstreamSubscriptions.isEmpty)
    }

    @Test("§6.9: UNSUBSCRIBE by predefined id and short name; of something never subscribed, still UNSUBACK")
    func unsubscribeTypes() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        _ = subscribe(&harness, .predefined(2), from: "a")
        let short = try #require(MQTTSNShortTopicName("zz"))
        _ = subscribe(&harness, .shortName(short), from: "a", messageID: 2)
        #expect(harness.receive(.unsubscribe(MQTTSNUnsubscribe(messageID: 3, topic: .predefined(2))), from: "a").subscriptionChanges == ["-site/cmd/led"])
        #expect(harness.receive(.unsubscribe(MQTTSNUnsubscribe(messageID: 4, topic: .shortName(short))), from: "a").subscriptionChanges == ["-site/zz"])
        #expect(harness.receive(.unsubscribe(MQTTSNUnsubscribe(messageID: 5, topic: .name("none"))), from: "a") == [.send(.unsubAck(messageID: 5), to: "a")])
    }

    @Test("a clean-session client's DISCONNECT releases its upstream subscriptions")
    func disconnectReleases() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        _ = subscribe(&harness, .name("cmd/#"), from: "a")
        let actions = harness.receive(.disconnect(durationSeconds: nil), from: "a")
        #expect(actions.sent(to: "a") == [.disconnect(durationSeconds: nil)])
        #expect(actions.subscriptionChanges == ["-site/cmd/#"])
        #expect(actions.forgotten == ["n1"])
        #expect(actions.publishedTexts == ["perch/gw/status/clients/n1=offline"])
    }
}
