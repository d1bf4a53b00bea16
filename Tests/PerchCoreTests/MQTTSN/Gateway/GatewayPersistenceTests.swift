import Foundation
import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// SPEC §3: registrations and subscriptions survive a restart of Perch.
@Suite("MQTTSNGateway: persistence")
struct GatewayPersistenceTests {
    @Test("a client keeps publishing with its topic id across a restart; subscriptions are asked for upstream again")
    func restoreRecords() throws {
        let configuration = try GatewayHarness.configuration()
        var before = GatewayHarness(configuration)
        before.connect("n1", from: "a", duration: 10)
        let id = before.register("t/1", from: "a")
        let stored = before.receive(.subscribe(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 2, topic: .name("cmd/#"))), from: "a").stored
        let record = try #require(stored.last)

        var after = GatewayHarness(configuration)
        let actions = after.restore([record])
        #expect(actions.subscriptionChanges == ["+site/cmd/#@1"])
        #expect(after.gateway.state(ofClient: "n1") == .active)
        #expect(after.gateway.statistics.clients == 1)
        #expect(after.receive(publishPacket(.normal(id), "x"), from: "a").publishedTexts == ["site/t/1=x"])
        // Supervision starts at the restore.
        #expect(after.advance(by: .seconds(15)).publishedTexts == ["perch/gw/status/clients/n1=lost"])
    }

    @Test("records round-trip through JSON and restore asleep and disconnected clients as such")
    func restoreStates() throws {
        let configuration = try GatewayHarness.configuration()
        var before = GatewayHarness(configuration)
        before.connect("sleepy", from: "a", cleanSession: false)
        let asleep = try #require(before.receive(.disconnect(durationSeconds: 100), from: "a").stored.last)
        before.connect("gone", from: "b", cleanSession: false)
        let gone = try #require(before.receive(.disconnect(durationSeconds: nil), from: "b").stored.last)
        #expect(asleep.sleepSeconds == 100)
        let data = try JSONEncoder().encode([asleep, gone])
        let decoded = try JSONDecoder().decode([MQTTSNClientRecord<String>].self, from: data)
        #expect(decoded == [asleep, gone])

        var after = GatewayHarness(configuration)
        after.restore(decoded)
        #expect(after.gateway.state(ofClient: "sleepy") == .asleep)
        #expect(after.gateway.state(ofClient: "gone") == .disconnected)
        #expect(after.gateway.statistics.clients == 1)
        #expect(after.gateway.statistics.asleep == 1)
        // A disconnected client's address maps to nobody.
        #expect(after.receive(.pingRequest(clientID: nil), from: "b") == [.send(.disconnect(durationSeconds: nil), to: "b")])
    }

    @Test("a record written before isDisconnected existed still loads, as connected")
    func olderRecord() throws {
        let registry = String(decoding: try JSONEncoder().encode(TopicRegistry()), as: UTF8.self)
        let json = #"{"clientID":"n1","peer":"a","cleanSession":false,"keepAliveSeconds":30,"#
            + #""registry":\#(registry),"subscriptions":[{"filter":"cmd/#","qos":1,"isPredefined":false}]}"#
        let record = try JSONDecoder().decode(MQTTSNClientRecord<String>.self, from: Data(json.utf8))
        #expect(!record.isDisconnected)
        #expect(record.will == nil && record.sleepSeconds == nil)
        #expect(record.subscriptions == [MQTTSNClientSubscription(filter: "cmd/#", qos: 1)])
    }

    @Test("REGISTER, SUBSCRIBE, sleep and will changes are stored; QoS 0 PUBLISH and PINGREQ are not")
    func whatIsStored() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        harness.connect("n1", from: "a")
        let actions = harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "t")), from: "a")
        #expect(actions.stored.count == 1)
        let id = harness.register("t", from: "a", messageID: 2)
        #expect(harness.receive(publishPacket(.normal(id), "x"), from: "a").stored.isEmpty)
        #expect(harness.receive(.pingRequest(clientID: nil), from: "a").stored.isEmpty)
        // Registering a known name again changes nothing to store.
        #expect(harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 3, topicName: "t")), from: "a").stored.isEmpty)
    }
}
