import MQTTSNCodec
import NIOCore
import PerchCore
import Testing

@Suite("MQTT-SN gateway: a new configuration while it runs (reload)")
struct GatewayReconfigureTests {
    @Test("nothing changed, nothing done")
    func unchanged() throws {
        let configuration = try GatewayHarness.configuration()
        var harness = GatewayHarness(configuration)
        harness.connect("n1", from: "a")
        let (changed, actions) = harness.reconfigure(configuration)
        #expect(changed.isEmpty && actions.isEmpty)
    }

    @Test("new predefined topics are known to connected sessions at once (§6.7)")
    func predefinedTopics() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        let before = harness.receive(publishPacket(.predefined(9), "early", qos: .atLeastOnce, messageID: 1), from: "a")
        #expect(before.published.isEmpty)

        var new = try GatewayHarness.configuration()
        new.predefinedTopics = try PredefinedTopics([1: "sensors/temperature", 2: "cmd/led", 9: "sensors/nine"])
        #expect(harness.reconfigure(new).changed == [.predefinedTopics])
        let after = harness.receive(publishPacket(.predefined(9), "late", qos: .atLeastOnce, messageID: 2), from: "a")
        #expect(after.publishedTexts == ["site/sensors/nine=late"], "under the unchanged mountpoint")
        #expect(harness.gateway.configuration.predefinedTopics.namesByID[9] == "sensors/nine")
    }

    @Test("allow_clients: a live client no longer listed is sent DISCONNECT and its session ends; a listed one stays")
    func allowListDisconnects() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("keep", from: "a")
        harness.connect("drop", from: "b")
        let (changed, actions) = harness.reconfigure(try GatewayHarness.configuration(allowedClients: ["keep"]))
        #expect(changed == [.allowedClients])
        #expect(actions.sent(to: "b") == [.disconnect(durationSeconds: nil)])
        #expect(actions.sent(to: "a").isEmpty)
        #expect(actions.publishedTexts.contains("perch/gw/status/clients/drop=offline"))
        #expect(harness.gateway.state(ofClient: "keep") == .active)
        #expect(harness.gateway.state(ofClient: "drop")?.isLive != true)
        #expect(harness.connect("drop", from: "b").sent(to: "b") == [.connAck(.rejectedNotSupported)])
    }

    @Test("max_clients, sleeping_buffer and retry change; the mountpoint and presence never do")
    func limits() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(maxClients: 10))
        harness.connect("n1", from: "a")
        harness.connect("n2", from: "b")
        var new = try GatewayHarness.configuration(maxClients: 2, sleepingBuffer: 3, retryCount: 4, mountpoint: "elsewhere/", presence: nil)
        new.retryInterval = .seconds(3)
        let changed = harness.reconfigure(new).changed
        #expect(changed == [.maxClients, .sleepingBuffer, .retry])
        #expect(harness.connect("n3", from: "c").sent(to: "c") == [.connAck(.rejectedCongestion)])
        #expect(harness.gateway.configuration.retryInterval == .seconds(3))
        #expect(try harness.gateway.configuration.mountpoint == Mountpoint("site/"))
        #expect(harness.gateway.configuration.presenceTopicPrefix == "perch/gw/status/clients/")
    }

    @Test("advertise.interval: a new interval sends ADVERTISE now with the new Duration; none stops them")
    func advertiseInterval() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(advertise: .seconds(900)))
        harness.start()
        let (changed, actions) = harness.reconfigure(try GatewayHarness.configuration(advertise: .seconds(60)))
        #expect(changed == [.advertiseInterval])
        #expect(actions.contains { if case .broadcast(.advertise(let ad)) = $0 { ad.durationSeconds == 60 } else { false } })
        _ = harness.reconfigure(try GatewayHarness.configuration(advertise: nil))
        #expect(harness.gateway.nextDeadline == nil)
    }
}
