import MQTTSNCodec
import PerchCore
import Testing

/// CONNECT and the will prompting (MQTT-SN v1.2 §6.2), allow list and max clients.
@Suite("MQTTSNGateway: connect")
struct GatewayConnectTests {
    @Test("§6.2: CONNECT without will is answered CONNACK accepted and presence online")
    func connectWithoutWill() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        let actions = harness.connect("node-1", from: "a")
        #expect(actions.sent(to: "a") == [.connAck(.accepted)])
        #expect(actions.publishedTexts == ["perch/gw/status/clients/node-1=online"])
        #expect(actions.published.first?.message.retain == true)
        #expect(actions.published.first?.message.qos == .atLeastOnce)
        #expect(actions.stored.map(\.clientID) == ["node-1"])
        #expect(harness.gateway.state(ofClient: "node-1") == .active)
        #expect(harness.gateway.statistics.clients == 1)
    }

    @Test("§6.2: CONNECT with will runs WILLTOPICREQ, WILLTOPIC, WILLMSGREQ, WILLMSG, CONNACK")
    func connectWithWill() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        var actions = harness.receive(.connect(MQTTSNConnect(will: true, durationSeconds: 30, clientID: "node-1")), from: "a")
        #expect(actions.sent(to: "a") == [.willTopicRequest])
        #expect(harness.gateway.state(ofClient: "node-1") == .connecting)
        actions = harness.receive(.willTopic(MQTTSNWillTopic(qos: .atLeastOnce, retain: true, topic: "nodes/1/state")), from: "a")
        #expect(actions.sent(to: "a") == [.willMessageRequest])
        actions = harness.receive(.willMessage(.init(string: "gone")), from: "a")
        #expect(actions.sent(to: "a") == [.connAck(.accepted)])
        #expect(actions.stored.first?.will == MQTTSNWill(topic: "nodes/1/state", payload: Array("gone".utf8), qos: 1, retain: true))
    }

    @Test("§6.2: an empty WILLTOPIC means no will and completes the connection")
    func emptyWillTopic() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.receive(.connect(MQTTSNConnect(will: true, durationSeconds: 30, clientID: "node-1")), from: "a")
        let actions = harness.receive(.willTopic(nil), from: "a")
        #expect(actions.sent(to: "a") == [.connAck(.accepted)])
        #expect(actions.stored.first?.will == nil)
    }

    @Test("§6.2, §6.13: an unanswered will prompt is repeated, then the attempt is given up")
    func willPromptTimesOut() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(retryCount: 2))
        harness.receive(.connect(MQTTSNConnect(will: true, durationSeconds: 30, clientID: "node-1")), from: "a")
        let actions = harness.advance(by: .seconds(35))
        #expect(actions.sent(to: "a") == [.willTopicRequest, .willTopicRequest])
        #expect(actions.forgotten == ["node-1"])
        #expect(actions.published.isEmpty) // never online: no presence, no will
        #expect(harness.gateway.state(ofClient: "node-1") == nil)
        #expect(harness.gateway.statistics.clients == 0)
    }

    @Test("a will prompt given up leaves no session behind, even with clean session off")
    func abandonedCleanSessionOff() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(retryCount: 0))
        harness.receive(.connect(MQTTSNConnect(will: true, cleanSession: false, durationSeconds: 30, clientID: "node-1")), from: "a")
        let actions = harness.advance(by: .seconds(10))
        #expect(actions.stored.isEmpty)
        #expect(harness.gateway.state(ofClient: "node-1") == nil)
    }

    @Test("a new client id from an address that had another client: that client is lost, its will published")
    func otherClientAtAddress() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("old", from: "a")
        harness.receive(.willTopicUpdate(MQTTSNWillTopic(topic: "w")), from: "a")
        harness.receive(.willMessageUpdate(.init(string: "bye")), from: "a")
        let actions = harness.connect("new", from: "a")
        #expect(actions.publishedTexts == ["site/w=bye", "perch/gw/status/clients/old=lost", "perch/gw/status/clients/new=online"])
        #expect(harness.gateway.state(ofClient: "old") == nil)
        #expect(harness.gateway.statistics.clients == 1)
    }

    @Test("allow_clients: a client id not on the list gets CONNACK rejected: not supported")
    func allowList() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(allowedClients: ["node-1"]))
        #expect(harness.connect("intruder", from: "a").sent(to: "a") == [.connAck(.rejectedNotSupported)])
        #expect(harness.connect("node-1", from: "b").sent(to: "b") == [.connAck(.accepted)])
        #expect(harness.gateway.statistics.clients == 1)
    }

    @Test("allow_clients holds for every message type from an address not connected, QoS -1 PUBLISH included")
    func allowListForEveryMessage() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(allowedClients: ["node-1"]))
        let short = try #require(MQTTSNShortTopicName("ab"))
        let strangers: [MQTTSNPacket] = [
            publishPacket(.predefined(1), "21.5", qos: .minusOne),
            publishPacket(.shortName(short), "1", qos: .minusOne),
            publishPacket(.predefined(1), "1", qos: .atLeastOnce, messageID: 3),
            .register(MQTTSNRegister(topicID: 0, messageID: 4, topicName: "x")),
            .subscribe(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 5, topic: .name("cmd/#"))),
            .pingRequest(clientID: "intruder"),
        ]
        for packet in strangers {
            let actions = harness.receive(packet, from: "x")
            #expect(actions.published.isEmpty, "\(packet) from an address outside the allow-list went upstream")
            #expect(actions.sent(to: "x").allSatisfy { if case .disconnect = $0 { true } else { false } })
        }
        #expect(harness.gateway.statistics.invalid == UInt64(strangers.count))
        // The allowed client, once connected, may publish at QoS -1 from its address.
        harness.connect("node-1", from: "b")
        #expect(harness.receive(publishPacket(.predefined(1), "22", qos: .minusOne), from: "b").publishedTexts == ["site/sensors/temperature=22"])
    }

    @Test("max_clients: one more client gets CONNACK rejected: congestion; a known one still connects")
    func maxClients() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(maxClients: 2))
        harness.connect("n1", from: "a")
        harness.connect("n2", from: "b")
        #expect(harness.connect("n3", from: "c").sent(to: "c") == [.connAck(.rejectedCongestion)])
        #expect(harness.connect("n2", from: "b").sent(to: "b") == [.connAck(.accepted)])
        #expect(harness.gateway.statistics.clients == 2)
    }

    @Test("§5.3.1: an empty client id, or one with a wildcard, is refused")
    func clientIDChecks() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        #expect(harness.connect("", from: "a").sent(to: "a") == [.connAck(.rejectedNotSupported)])
        #expect(harness.connect("a/+", from: "a").sent(to: "a") == [.connAck(.rejectedNotSupported)])
        #expect(harness.gateway.statistics.clients == 0)
    }

    @Test("the same client id from a new address takes the session over; the old address gets DISCONNECT")
    func takeover() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a", cleanSession: false)
        let id = harness.register("t/1", from: "a")
        let actions = harness.connect("node-1", from: "b", cleanSession: false)
        #expect(actions.sent(to: "a") == [.disconnect(durationSeconds: nil)])
        #expect(actions.sent(to: "b") == [.connAck(.accepted)])
        #expect(harness.gateway.statistics.clients == 1)
        // The old address maps to nobody now.
        #expect(harness.receive(publishPacket(.normal(id), "x"), from: "a").sent(to: "a") == [.disconnect(durationSeconds: nil)])
        #expect(harness.receive(publishPacket(.normal(id), "x"), from: "b").publishedTexts == ["site/t/1=x"])
    }

    @Test("SPEC §3: a datagram from an address with no session gets DISCONNECT and is counted")
    func unknownPeer() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        let actions = harness.receive(.pingRequest(clientID: nil), from: "z")
        #expect(actions == [.send(.disconnect(durationSeconds: nil), to: "z")])
        #expect(harness.gateway.statistics.invalid == 1)
        #expect(harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "a")), from: "z")
            == [.send(.disconnect(durationSeconds: nil), to: "z")])
    }

    @Test("a message not valid in the state is counted and ignored")
    func invalidInState() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("node-1", from: "a")
        #expect(harness.receive(.willMessage(.init(string: "x")), from: "a").isEmpty)
        #expect(harness.receive(.connAck(.accepted), from: "a").isEmpty)
        #expect(harness.receive(.pubComp(messageID: 9), from: "a").isEmpty)
        #expect(harness.gateway.statistics.invalid == 3)
        #expect(harness.gateway.statistics.received == 4)
    }
}
