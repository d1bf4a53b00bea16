import Foundation
import PerchTestKit
import Testing

/// perchd as a user runs it, against a real Mosquitto with TLS (issue 2, "Done when").
@Suite("perchd end to end: uplink, status and will")
struct PerchdUplinkTests {
    static let wait = Duration.seconds(15)

    @Test("TLS with verification: the status topic holds a retained online document", arguments: ["5", "3.1.1"])
    func retainedOnlineStatus(protocolVersion: String) async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, protocolVersion: protocolVersion)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let status = try await subscription.next(timeout: Self.wait) { $0.statusState == "online" }
        #expect(status.isRetained)
        let json = try #require(status.jsonObject)
        #expect(json["gateway"] as? String == perchd.gatewayID)
        #expect(json["version"] as? String == "0.1.0")
        #expect(json["uptime_s"] is Int)
        let uplink = try #require(status.uplinkSection)
        #expect(uplink["connected"] as? Bool == true)
        #expect(uplink["broker"] as? String == broker.url)
        #expect(uplink["reconnects"] as? Int == 0)
        #expect(uplink["last_error"] is NSNull)
        await subscription.cancel()
    }

    @Test("kill -9: the broker publishes the will {\"state\":\"offline\"}")
    func willAfterKill() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        _ = try await subscription.next(timeout: Self.wait) { $0.statusState == "online" }
        perchd.process.kill()
        let will = try await subscription.next(timeout: Self.wait) { $0.statusState == "offline" }
        #expect(will.payloadString == #"{"state":"offline"}"#)
        // No clean DISCONNECT reached the broker: that is why it published the will.
        #expect(!broker.logText().contains("Client \(perchd.clientID) disconnected.\n"))
        let retained = try await broker.retained(topic: perchd.statusTopic, timeout: .seconds(3))
        #expect(retained?.payloadString == #"{"state":"offline"}"#)
        await subscription.cancel()
    }

    @Test("SIGTERM: perchd leaves offline itself and disconnects cleanly, so no will is needed")
    func gracefulStop() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        _ = try await subscription.next(timeout: Self.wait) { $0.statusState == "online" }
        perchd.process.terminate()
        #expect(try await perchd.process.waitForExit(timeout: Self.wait) == .exited(0))
        let offline = try await subscription.next(timeout: Self.wait) { $0.statusState == "offline" }
        #expect(offline.payloadString == #"{"state":"offline"}"#)
        // MQTT 5.0 §3.14.4: a DISCONNECT with reason 0 makes the broker discard the will.
        #expect(broker.logText().contains("Client \(perchd.clientID) disconnected.\n"))
        await subscription.cancel()
    }

    @Test("a broker certificate from another CA is refused, with the reason in the log")
    func wrongCARefused() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, trust: .wrongCA)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        let line = try await perchd.process.waitForLine(containing: "connection attempt failed", timeout: Self.wait)
        #expect(line.contains("certificate"), "log line: \(line)")
        #expect(!perchd.process.outputText.contains("uplink connected"))
        #expect(try await broker.retained(topic: perchd.statusTopic, timeout: .seconds(1)) == nil)
    }

    @Test("mutual TLS: perchd presents its client certificate and the broker accepts it")
    func mutualTLS() async throws {
        let broker = try await MosquittoFixture.start(tls: .mutual)
        let perchd = try RunningPerchd.start(against: broker, trust: .clientCertificate)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let status = try await broker.subscribe(topic: perchd.statusTopic, count: 1, timeout: Self.wait)
        #expect(status.first?.statusState == "online")
    }

    @Test("mutual TLS without a client certificate is refused by the broker")
    func mutualTLSWithoutCertificate() async throws {
        let broker = try await MosquittoFixture.start(tls: .mutual)
        let perchd = try RunningPerchd.start(against: broker, trust: .fixtureCA)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "connection attempt failed", timeout: Self.wait)
        #expect(!perchd.process.outputText.contains("uplink connected"))
    }

    @Test("broker restart: perchd reconnects and publishes its status again")
    func reconnectAfterBrokerRestart() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        try await broker.stop()
        _ = try await perchd.process.waitForLine(containing: "connection attempt failed", timeout: Self.wait)
        try await broker.restart()

        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let again = try await subscription.next(timeout: Self.wait) { ($0.uplinkSection?["reconnects"] as? Int) == 1 }
        #expect(again.statusState == "online")
        #expect(again.uplinkSection?["connected"] as? Bool == true)
        #expect(again.uplinkSection?["last_error"] is String)
        await subscription.cancel()
    }
}
