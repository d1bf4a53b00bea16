import Foundation
import MQTTSNCodec
import NIOCore
import NIOPosix
import PerchTestKit
import Testing

/// perchd with MQTT-SN on, against a real Mosquitto with TLS: a sensor played
/// with our codec over UDP (issue 3).
@Suite("perchd end to end: MQTT-SN")
struct PerchdMQTTSNTests {
    static let wait = Duration.seconds(15)

    @Test("a sensor's PUBLISH through perchd reaches the broker under the mountpoint")
    func publishReachesBroker() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, extraYAML: "status: { interval: 1s }")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await group.shutdownGracefully() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let address = try await perchd.mqttsnAddress()
        let subscription = try await broker.startSubscription(topic: "sensors/#", qos: 1)
        let client = try await MQTTSNTestClient.make(talkingTo: address, group: group)
        #expect(try await client.connect(clientID: "e2e-node") == .connAck(.accepted))
        let reply = try await client.exchange(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "sensors/e2e")))
        guard case let .regAck(ack) = reply else {
            Issue.record("expected REGACK, got \(reply)")
            return
        }
        let puback = try await client.exchange(.publish(MQTTSNPublish(
            qos: .atLeastOnce, topic: .normal(ack.topicID), messageID: 2, payload: ByteBuffer(string: "hello")
        )))
        #expect(puback == .pubAck(MQTTSNTopicAck(topicID: ack.topicID, messageID: 2)))
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.topic == "sensors/e2e")
        #expect(message.payloadString == "hello")
        await subscription.cancel()
        await client.close()
    }

    @Test("the status document carries the mqttsn section (SPEC §7)")
    func statusHasMQTTSNSection() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, extraYAML: "status: { interval: 1s }")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await group.shutdownGracefully() } }

        let address = try await perchd.mqttsnAddress()
        let client = try await MQTTSNTestClient.make(talkingTo: address, group: group)
        // One malformed datagram (length 9, two bytes): it shows up as invalid.
        try await client.sendRaw(ByteBuffer(bytes: [0x09, 0x16]))
        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let status = try await subscription.next(timeout: Self.wait) { message in
            let section = message.jsonObject?["mqttsn"] as? [String: Any]
            return (section?["invalid"] as? Int ?? 0) >= 1
        }
        let section = try #require(status.jsonObject?["mqttsn"] as? [String: Any])
        for key in ["clients", "asleep", "rx", "tx", "invalid"] {
            #expect(section[key] is Int, "missing \(key) in \(section)")
        }
        #expect(section["invalid"] as? Int == 1)
        #expect(section["kernel_drops"] as? Int == 0)
        await subscription.cancel()
        await client.close()
    }

    @Test("MQTT-SN off (listen: []) leaves the section out")
    func statusWithoutMQTTSN() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, mqttsnYAML: "mqttsn: { listen: [] }")
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let status = try await subscription.next(timeout: Self.wait) { $0.statusState == "online" }
        #expect(status.jsonObject?["mqttsn"] == nil)
        #expect(!perchd.process.outputText.contains("MQTT-SN listening"))
        await subscription.cancel()
    }

    @Test("a port in use: perchd says which address and exits non-zero")
    func portInUse() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let taken = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(taken.localAddress?.port)
        let perchd = try RunningPerchd.start(against: broker, mqttsnYAML: "mqttsn: { listen: [\"127.0.0.1:\(port)\"] }")
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await taken.close(); try? await group.shutdownGracefully() } }

        let status = try await perchd.process.waitForExit(timeout: Self.wait)
        #expect(status != .exited(0))
        #expect(perchd.process.outputText.contains("127.0.0.1:\(port)"), "\(perchd.process.outputText)")
    }

    @Test("a restart of perchd keeps a clean-session-off client's registrations (SPEC §3)")
    func restartKeepsRegistrations() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let first = try RunningPerchd.start(against: broker)
        let subscription = try await broker.startSubscription(topic: "sensors/#", qos: 1)

        let before = try await MQTTSNTestClient.make(talkingTo: try await first.mqttsnAddress(), group: group)
        #expect(try await before.connect(clientID: "e2e-keeper", cleanSession: false) == .connAck(.accepted))
        let reply = try await before.exchange(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "sensors/kept")))
        guard case let .regAck(ack) = reply else {
            Issue.record("expected REGACK, got \(reply)")
            return
        }
        await before.close()
        // Graceful stop: the record is written before perchd exits.
        first.process.terminate()
        #expect(try await first.process.waitForExit(timeout: Self.wait) == .exited(0))

        let second = try RunningPerchd.start(against: broker, in: first.directory, gatewayID: first.gatewayID)
        defer { Task { await second.cleanUp(); await broker.shutdown(); try? await group.shutdownGracefully() } }
        _ = try await second.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let after = try await MQTTSNTestClient.make(talkingTo: try await second.mqttsnAddress(), group: group)
        #expect(try await after.connect(clientID: "e2e-keeper", cleanSession: false) == .connAck(.accepted))
        // The topic id of the first run, without a new REGISTER.
        let puback = try await after.exchange(.publish(MQTTSNPublish(
            qos: .atLeastOnce, topic: .normal(ack.topicID), messageID: 2, payload: ByteBuffer(string: "still here")
        )))
        #expect(puback == .pubAck(MQTTSNTopicAck(topicID: ack.topicID, messageID: 2)))
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.topic == "sensors/kept")
        #expect(message.payloadString == "still here")
        await subscription.cancel()
        await after.close()
    }
}
