import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// PINGREQ/PINGRESP and keep-alive supervision (MQTT-SN v1.2 §6.11).
@Suite("MQTTSNGateway: keep-alive")
struct GatewayKeepAliveTests {
    private func connectWithWill(_ harness: inout GatewayHarness, duration: UInt16) {
        harness.receive(.connect(MQTTSNConnect(will: true, durationSeconds: duration, clientID: "n1")), from: "a")
        harness.receive(.willTopic(MQTTSNWillTopic(qos: .atLeastOnce, retain: true, topic: "nodes/n1")), from: "a")
        harness.receive(.willMessage(.init(string: "dead")), from: "a")
    }

    @Test("§6.11: PINGREQ is answered PINGRESP")
    func ping() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        #expect(harness.receive(.pingRequest(clientID: nil), from: "a") == [.send(.pingResponse, to: "a")])
    }

    @Test("§6.11: silent for 1.5 × Duration → lost: the will is published through the mountpoint, presence lost")
    func lossPublishesWill() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        connectWithWill(&harness, duration: 10)
        #expect(harness.advance(by: .milliseconds(14_999)).isEmpty)
        let actions = harness.advance(by: .milliseconds(1))
        #expect(actions.publishedTexts == ["site/nodes/n1=dead", "perch/gw/status/clients/n1=lost"])
        #expect(actions.published.first?.message.qos == .atLeastOnce)
        #expect(actions.published.first?.message.retain == true)
        #expect(actions.forgotten == ["n1"])
        #expect(harness.gateway.statistics.clients == 0)
        // The address no longer maps to a client.
        #expect(harness.receive(.pingRequest(clientID: nil), from: "a") == [.send(.disconnect(durationSeconds: nil), to: "a")])
    }

    @Test("§6.11: any packet heard keeps the client; supervision restarts from it")
    func heardKeepsAlive() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        connectWithWill(&harness, duration: 10)
        for _ in 0..<5 {
            #expect(harness.advance(by: .seconds(12)).isEmpty)
            harness.receive(.pingRequest(clientID: nil), from: "a")
        }
        #expect(harness.advance(by: .seconds(14)).isEmpty)
        #expect(harness.advance(by: .seconds(1)).publishedTexts.first == "site/nodes/n1=dead")
    }

    @Test("§6.11: Duration 0 is not supervised")
    func zeroNotSupervised() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        connectWithWill(&harness, duration: 0)
        #expect(harness.advance(by: .seconds(86_400)).isEmpty)
        #expect(harness.gateway.state(ofClient: "n1") == .active)
        // Only the will prompt's stale timer entry was left; once it surfaced, none.
        #expect(harness.gateway.nextDeadline == nil)
    }

    @Test("§6.12: DISCONNECT publishes no will; presence offline")
    func disconnectNoWill() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        connectWithWill(&harness, duration: 10)
        let actions = harness.receive(.disconnect(durationSeconds: nil), from: "a")
        #expect(actions.publishedTexts == ["perch/gw/status/clients/n1=offline"])
        #expect(harness.advance(by: .seconds(60)).isEmpty)
    }

    @Test("no presence is published when the prefix is not configured")
    func noPresence() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(presence: nil))
        #expect(harness.connect("n1", from: "a", duration: 10).published.isEmpty)
        #expect(harness.advance(by: .seconds(15)).published.isEmpty)
    }
}
