import Foundation
import MQTTSNCodec
import NIOCore
import NIOPosix
import PerchTestKit
import Testing

/// CoAP and MQTT-SN inside one perchd: one upstream subscription per filter,
/// counted across both, and the `coap` section of the status.
@Suite("perchd end to end: CoAP next to MQTT-SN")
struct PerchdCoAPSharingTests {
    static let wait = Duration.seconds(20)

    @Test("a CoAP observation ending leaves the subscription an MQTT-SN client still holds")
    func sharedSubscription() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, extraYAML: "status: { interval: 1s }", mountpoint: "site/")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await group.shutdownGracefully() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let sensor = try await MQTTSNTestClient.make(talkingTo: try await perchd.mqttsnAddress(), group: group)
        #expect(try await sensor.connect(clientID: "e2e-shared") == .connAck(.accepted))
        let reply = try await sensor.exchange(
            .subscribe(MQTTSNSubscribe(qos: .atMostOnce, messageID: 1, topic: .name("cmd/shared"))), timeout: Self.wait
        )
        guard case let .subAck(subAck) = reply, subAck.returnCode == .accepted else {
            Issue.record("expected an accepting SUBACK, got \(reply)")
            return
        }

        let client = CoAPTestClient(port: try await perchd.coapPort())
        // -s 4: observe for four seconds, then deregister (RFC 7641 §3.6).
        let observer = try client.start("get", path: "ps/cmd/shared", extraArguments: ["-s", "4"])
        _ = try await observer.waitForLine(containing: "c:2.05", timeout: Self.wait)
        // The MQTT-SN client's subscription is in place upstream already; the
        // observer's QoS 1 replaces it with a QoS 1 one, without a gap.
        try await broker.publish(topic: "site/cmd/shared", payload: "both", qos: 1)
        _ = try await observer.waitForLine(containing: "'both'", timeout: Self.wait)
        #expect(try await Self.nextPayload(to: sensor) == "both")

        // The observation ends; the status shows no observer any more.
        _ = try await observer.waitForExit(timeout: Self.wait)
        #expect(observer.outputText.contains("clear observation relationship"), "\(observer.outputTail())")
        let statuses = try await broker.startSubscription(topic: perchd.statusTopic)
        _ = try await statuses.next(timeout: Self.wait) { message in
            (message.jsonObject?["coap"] as? [String: Any])?["observers"] as? Int == 0
        }
        await statuses.cancel()

        try await broker.publish(topic: "site/cmd/shared", payload: "sensor-only", qos: 1)
        #expect(try await Self.nextPayload(to: sensor) == "sensor-only")
        #expect(!broker.logText().contains("Received UNSUBSCRIBE from \(perchd.clientID)"), "\(broker.logText())")
        await sensor.close()
    }

    @Test("the status document carries the coap section (SPEC §7)")
    func statusHasCoAPSection() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, extraYAML: "status: { interval: 1s }")
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let client = CoAPTestClient(port: try await perchd.coapPort())
        let published = try await client.run("put", path: "ps/status/t", payload: "1", nonConfirmable: true)
        #expect(published.coapResponses.contains { $0.contains("c:2.04") }, "\(published)")
        // qos=7 is no QoS: 4.00, counted as invalid.
        let refused = try await client.run("put", path: "ps/status/t?qos=7", payload: "1")
        #expect(refused.coapResponses.contains { $0.contains("c:4.00") }, "\(refused)")
        // Not CoAP at all: token length 9 is a message format error (RFC 7252
        // §3); libcoap discards it with a warning, which is counted too.
        try sendDatagram([0x49, 0x03, 0x00, 0x01], toPort: client.port)

        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let status = try await subscription.next(timeout: Self.wait) { message in
            let coap = message.jsonObject?["coap"] as? [String: Any]
            return (coap?["requests"] as? Int ?? 0) >= 2 && (coap?["invalid"] as? Int ?? 0) >= 2
        }
        let section = try #require(status.jsonObject?["coap"] as? [String: Any])
        #expect(section["requests"] as? Int == 2, "\(section)")
        #expect(section["invalid"] as? Int == 2, "\(section)")
        #expect(section["observers"] as? Int == 0, "\(section)")
        await subscription.cancel()
    }

    @Test("CoAP off (listen: []) leaves the section out and binds nothing")
    func statusWithoutCoAP() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, coapYAML: "coap: { listen: [] }")
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let status = try await subscription.next(timeout: Self.wait) { $0.statusState == "online" }
        #expect(status.jsonObject?["coap"] == nil)
        #expect(!perchd.process.outputText.contains("CoAP listening"))
        await subscription.cancel()
    }

    @Test("a CoAP port in use: perchd says which address and exits non-zero")
    func portInUse() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let taken = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(taken.localAddress?.port)
        let perchd = try RunningPerchd.start(against: broker, coapYAML: "coap: { listen: [\"127.0.0.1:\(port)\"] }")
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await taken.close(); try? await group.shutdownGracefully() } }

        let status = try await perchd.process.waitForExit(timeout: Self.wait)
        #expect(status != .exited(0))
        #expect(perchd.process.outputText.contains("127.0.0.1:\(port)"), "\(perchd.process.outputText)")
    }

    /// The payload of the next PUBLISH to `sensor`, answering the REGISTER the
    /// gateway may send first (MQTT-SN v1.2 §6.10).
    static func nextPayload(to sensor: MQTTSNTestClient) async throws -> String? {
        for _ in 0..<4 {
            switch try await sensor.next(timeout: wait) {
            case let .register(register):
                try await sensor.send(.regAck(MQTTSNTopicAck(topicID: register.topicID, messageID: register.messageID)))
            case let .publish(publish):
                return publish.payload.getString(at: publish.payload.readerIndex, length: publish.payload.readableBytes)
            default:
                continue
            }
        }
        return nil
    }
}

/// Sends one raw UDP datagram to 127.0.0.1:`port`.
private func sendDatagram(_ bytes: [UInt8], toPort port: Int) throws {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EBADF) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let sent = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
    guard sent == bytes.count else { throw POSIXError(.EIO) }
}
