import Foundation
import PerchTestKit
import Testing

/// perchd with its CoAP server on, against a real Mosquitto with TLS, driven
/// by libcoap's own `coap-client-openssl` (issue 5).
@Suite("perchd end to end: CoAP")
struct PerchdCoAPTests {
    static let wait = Duration.seconds(20)

    @Test("a CON and a NON PUT reach the broker under the mountpoint", arguments: [false, true])
    func putReachesBroker(nonConfirmable: Bool) async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, mountpoint: "site/${gateway}/")
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let client = CoAPTestClient(port: try await perchd.coapPort())
        let topic = "site/\(perchd.gatewayID)/sensors/t"
        let subscription = try await broker.startSubscription(topic: topic, qos: 1)
        let payload = nonConfirmable ? "21.5-non" : "21.5-con"
        let output = try await client.run("put", path: "ps/sensors/t", payload: payload, nonConfirmable: nonConfirmable)
        // A NON request gets a NON answer (RFC 7252 §5.2.3), a CON one a
        // separate CON 2.04 after the empty ACK (§5.2.2).
        #expect(output.coapResponses.contains { $0.contains("c:2.04") }, "\(output)")
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.topic == topic)
        #expect(message.payloadString == payload)
        await subscription.cancel()
    }

    @Test("a CON PUT while the broker is down is answered 2.04 from the spool and arrives once it is back (SPEC §5)")
    func putWhileBrokerDown() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let client = CoAPTestClient(port: try await perchd.coapPort())
        try await broker.stop()
        _ = try await perchd.process.waitForLine(containing: "uplink connection lost", timeout: Self.wait)

        // Retained, so a subscriber that starts after the spool drained still sees it.
        let output = try await client.run("put", path: "ps/offline/t?retain=true", payload: "kept")
        #expect(output.coapResponses.contains { $0.contains("c:2.04") }, "\(output)")

        try await broker.restart()
        let subscription = try await broker.startSubscription(topic: "offline/t", qos: 1)
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.payloadString == "kept")
        await subscription.cancel()
    }

    @Test("a message from the broker reaches a CoAP observer; ending the observation unsubscribes upstream")
    func observeAndRelease() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, mountpoint: "site/")
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let client = CoAPTestClient(port: try await perchd.coapPort())
        // -s 5: observe for five seconds, then deregister (RFC 7641 §3.6).
        let observer = try client.start("get", path: "ps/cmd/led", extraArguments: ["-s", "5"])
        // perchd subscribes nothing else: its first SUBACK is this filter's.
        _ = try await broker.waitForLog(containing: "Sending SUBACK to \(perchd.clientID)", timeout: Self.wait)
        try await broker.publish(topic: "site/cmd/led", payload: "on", qos: 1)
        let notification = try await observer.waitForLine(containing: "'on'", timeout: Self.wait)
        #expect(notification.contains("c:2.05"), "\(notification)")
        #expect(notification.contains("t:CON"), "QoS 1: a confirmable notification: \(notification)")

        _ = try await observer.waitForExit(timeout: Self.wait)
        _ = try await broker.waitForLog(containing: "Received UNSUBSCRIBE from \(perchd.clientID)", timeout: Self.wait)
    }

    @Test("coaps:// with the right PSK publishes under the identity's mountpoint; a wrong key and an unknown identity publish nothing")
    func dtlsPreSharedKeys() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let directory = try TemporaryDirectory(prefix: "perchd-e2e")
        let keyFile = try directory.write("secret-key\n", to: "node-7.psk")
        let coap = """
            coap:
              listen: []
              dtls:
                listen: ["127.0.0.1:0"]
                psk: [{ identity: node-7, key_file: "\(keyFile)" }]
            """
        let perchd = try RunningPerchd.start(against: broker, coapYAML: coap, mountpoint: "site/${clientid}/", in: directory)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let port = try await perchd.coapsPort()
        // `listen: []`: no plain listener at all.
        #expect(!perchd.process.outputText.split(separator: "\n").contains { $0.contains("CoAP listening") && !$0.contains("(DTLS)") })
        let subscription = try await broker.startSubscription(topic: "site/#", qos: 1)
        // Refused first: wrong key (the handshake never completes, RFC 6347
        // drops records that fail their MAC) and unknown identity, each bounded.
        let wrongKey = try await CoAPTestClient(securePort: port, identity: "node-7", key: "not-the-key")
            .run("put", path: "ps/t", payload: "wrong-key", limit: .seconds(4))
        #expect(!wrongKey.coapResponses.contains { $0.contains("c:2.04") }, "\(wrongKey)")
        let unknown = try await CoAPTestClient(securePort: port, identity: "node-8", key: "secret-key")
            .run("put", path: "ps/t", payload: "unknown", limit: .seconds(4))
        #expect(!unknown.coapResponses.contains { $0.contains("c:2.04") }, "\(unknown)")
        // The key file's trailing newline is not part of the key.
        let right = try await CoAPTestClient(securePort: port, identity: "node-7", key: "secret-key")
            .run("put", path: "ps/t", payload: "right-key")
        #expect(right.coapResponses.contains { $0.contains("c:2.04") }, "\(right)")
        // The first message at the broker is the accepted one: nothing got through before it.
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.topic == "site/node-7/t")
        #expect(message.payloadString == "right-key")
        await subscription.cancel()
    }

    @Test("a full spool with overflow: reject_new answers a CON PUT 5.03 with Max-Age (SPEC §5)")
    func fullSpoolRefuses() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, extraYAML: "spool: { max_bytes: 64KiB, overflow: reject_new }")
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let client = CoAPTestClient(port: try await perchd.coapPort())
        try await broker.stop()
        _ = try await perchd.process.waitForLine(containing: "uplink connection lost", timeout: Self.wait)

        // Two 40 KiB bodies, block-wise (RFC 7959): the first fits, the second does not.
        let body = try perchd.directory.write(String(repeating: "x", count: 40 * 1024), to: "body.txt")
        var answers: [String] = []
        for _ in 0..<2 {
            let child = try client.start("put", path: "ps/full/t", extraArguments: ["-b", "1024", "-f", body])
            _ = try await child.waitForExit(timeout: .seconds(30))
            answers.append(child.outputText)
        }
        #expect(answers[0].coapResponses.contains { $0.contains("c:2.04") }, "\(answers[0])")
        let refusal = answers[1].coapResponses.first { $0.contains("c:5.03") }
        #expect(refusal?.contains("Max-Age") == true, "\(answers[1])")
    }
}
