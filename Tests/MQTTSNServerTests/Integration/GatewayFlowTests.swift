import MQTTSNCodec
import MQTTSNServer
import NIOCore
import PerchTestKit
import Testing

/// The server with its real uplink against a real Mosquitto, the sensor played
/// with our codec over real UDP (MQTT-SN v1.2 §6).
@Suite("MQTTSNServer: sensors to the broker and back")
struct GatewayFlowTests {
    static let wait = ServerHarness.wait

    /// REGISTER `name` and return the topic id the gateway assigned (§6.5).
    static func register(_ client: MQTTSNTestClient, _ name: String, messageID: UInt16) async throws -> UInt16 {
        let reply = try await client.exchange(.register(MQTTSNRegister(topicID: 0, messageID: messageID, topicName: name)))
        guard case let .regAck(ack) = reply else {
            Issue.record("expected REGACK, got \(reply)")
            return 0
        }
        #expect(ack.messageID == messageID)
        #expect(ack.returnCode == .accepted)
        return ack.topicID
    }

    @Test("CONNECT, REGISTER, PUBLISH at QoS 0 and 1: both reach the broker under the mountpoint")
    func connectRegisterPublish() async throws {
        let harness = try await ServerHarness.start()
        let subscription = try await harness.broker.startSubscription(topic: "t/sensors/#", qos: 1)
        let client = try await harness.client()
        #expect(try await client.connect(clientID: "node-1") == .connAck(.accepted))
        let topicID = try await Self.register(client, "sensors/temp", messageID: 1)

        try await client.send(.publish(MQTTSNPublish(qos: .atMostOnce, topic: .normal(topicID), payload: ByteBuffer(string: "20.5"))))
        let first = try await subscription.next(timeout: Self.wait)
        #expect(first.topic == "t/sensors/temp")
        #expect(first.payloadString == "20.5")

        let ack = try await client.exchange(.publish(MQTTSNPublish(
            qos: .atLeastOnce, topic: .normal(topicID), messageID: 2, payload: ByteBuffer(string: "21.0")
        )))
        #expect(ack == .pubAck(MQTTSNTopicAck(topicID: topicID, messageID: 2)))
        let second = try await subscription.next(timeout: Self.wait)
        #expect(second.payloadString == "21.0")
        #expect(second.qos == 1)

        await subscription.cancel()
        await client.close()
        await harness.stop()
    }

    @Test("QoS -1 with a predefined topic id needs no connection (§6.8)")
    func qosMinusOne() async throws {
        let harness = try await ServerHarness.start()
        let subscription = try await harness.broker.startSubscription(topic: "t/sensors/predefined")
        let client = try await harness.client()
        try await client.send(.publish(MQTTSNPublish(qos: .minusOne, topic: .predefined(7), payload: ByteBuffer(string: "m1"))))
        #expect(try await subscription.next(timeout: Self.wait).payloadString == "m1")
        await subscription.cancel()
        await client.close()
        await harness.stop()
    }

    @Test("PUBACK only after the broker's ack (SPEC §5): none while the broker is down, then it comes")
    func pubAckWaitsForBroker() async throws {
        let harness = try await ServerHarness.start()
        let client = try await harness.client()
        #expect(try await client.connect(clientID: "node-q1") == .connAck(.accepted))
        let topicID = try await Self.register(client, "sensors/door", messageID: 1)

        try await harness.broker.stop()
        try await client.send(.publish(MQTTSNPublish(
            qos: .atLeastOnce, topic: .normal(topicID), messageID: 9, payload: ByteBuffer(string: "open")
        )))
        // Absence, bounded: with the broker down, nothing may acknowledge it.
        await #expect(throws: PacketInbox.TimedOut.self) { try await client.next(timeout: .milliseconds(800)) }

        try await harness.broker.restart()
        let ack = try await client.next(timeout: Self.wait)
        #expect(ack == .pubAck(MQTTSNTopicAck(topicID: topicID, messageID: 9)))

        await client.close()
        await harness.stop()
    }

    @Test("SUBSCRIBE by name, then a message from the broker reaches the sensor (downlink)")
    func subscribeAndDownlink() async throws {
        let harness = try await ServerHarness.start()
        // Retained: it arrives as soon as the upstream subscription exists, so the
        // test waits on that event rather than guessing when SUBSCRIBE went out.
        try await harness.broker.publish(topic: "t/cmd/led", payload: "on", retain: true, qos: 1)
        let client = try await harness.client()
        #expect(try await client.connect(clientID: "node-sub") == .connAck(.accepted))
        var packet = try await client.exchange(.subscribe(MQTTSNSubscribe(qos: .atMostOnce, messageID: 3, topic: .name("cmd/led"))))
        var receivedSubAck: MQTTSNSubAck?
        var receivedPublish: MQTTSNPublish?
        var order: [String] = []
        for _ in 0..<4 {
            switch packet {
            case let .subAck(ack):
                receivedSubAck = ack
                order.append("SUBACK")
            case let .register(register):
                // §6.10: a gateway may REGISTER a topic before publishing on it.
                try await client.send(.regAck(MQTTSNTopicAck(topicID: register.topicID, messageID: register.messageID)))
                order.append("REGISTER")
            case let .publish(publish):
                receivedPublish = publish
                order.append("PUBLISH")
            default:
                Issue.record("unexpected \(packet)")
                return
            }
            if receivedSubAck != nil, receivedPublish != nil { break }
            packet = try await client.next(timeout: Self.wait)
        }
        let subAck = try #require(receivedSubAck)
        let publish = try #require(receivedPublish)
        #expect(subAck.returnCode == .accepted)
        #expect(subAck.messageID == 3)
        // MQTT-SN v1.2 §6.9: the client learns the topic id from the SUBACK, so it
        // must come first, although the broker's SUBACK and its retained PUBLISH
        // reach the gateway through different tasks (the settled subscription,
        // the downlink router): downlink waits while a SUBACK is held.
        #expect(order.first == "SUBACK", "order seen: \(order)")
        #expect(String(buffer: publish.payload) == "on")
        #expect(publish.topic == .normal(subAck.topicID))

        await client.close()
        try await harness.broker.publish(topic: "t/cmd/led", payload: "", retain: true)
        await harness.stop()
    }

    @Test("the Paho sample pub0sub1: subscribed to its own topic, the publisher hears its PUBACK before the broker's echo (issue 20 item 6)")
    func pubAckBeforeEcho() async throws {
        let harness = try await ServerHarness.start()
        let client = try await harness.client()
        #expect(try await client.connect(clientID: "node-echo") == .connAck(.accepted))
        for round in 1...6 {
            let reply = try await client.exchange(.subscribe(MQTTSNSubscribe(
                qos: .atLeastOnce, messageID: UInt16(100 + round), topic: .name("echo/\(round)"))))
            guard case let .subAck(subAck) = reply, subAck.returnCode == .accepted else {
                Issue.record("expected an accepting SUBACK, got \(reply)")
                return
            }
            try await client.send(.publish(MQTTSNPublish(
                qos: .atLeastOnce, topic: .normal(subAck.topicID), messageID: UInt16(round), payload: ByteBuffer(string: "r\(round)"))))
            // Mosquitto writes the echo before its PUBACK; the gateway must not pass it on first.
            let first = try await client.next(timeout: Self.wait)
            #expect(first == .pubAck(MQTTSNTopicAck(topicID: subAck.topicID, messageID: UInt16(round))), "round \(round): \(first)")
            let echo = try await client.next(timeout: Self.wait)
            guard case let .publish(publish) = echo else {
                Issue.record("round \(round): expected the echo, got \(echo)")
                return
            }
            #expect(String(buffer: publish.payload) == "r\(round)")
            try await client.send(.pubAck(MQTTSNTopicAck(topicID: subAck.topicID, messageID: publish.messageID)))
        }
        await client.close()
        await harness.stop()
    }

    @Test("SUBACK only once the broker holds the subscription: none while it is down; then one publish reaches the client")
    func subAckWaitsForBroker() async throws {
        let harness = try await ServerHarness.start()
        let client = try await harness.client()
        #expect(try await client.connect(clientID: "node-live") == .connAck(.accepted))

        try await harness.broker.stop()
        try await client.send(.subscribe(MQTTSNSubscribe(qos: .atMostOnce, messageID: 4, topic: .name("cmd/live"))))
        // Absence, bounded: with the broker down, nothing may grant it.
        await #expect(throws: PacketInbox.TimedOut.self) { try await client.next(timeout: .milliseconds(800)) }

        try await harness.broker.restart()
        let reply = try await client.next(timeout: Self.wait)
        guard case let .subAck(subAck) = reply, subAck.returnCode == .accepted, subAck.messageID == 4 else {
            Issue.record("expected an accepting SUBACK, got \(reply)")
            return
        }
        // One publish, not retained, no retry: it reaches the client because the
        // broker already held perchd's subscription when the SUBACK left.
        try await harness.broker.publish(topic: "t/cmd/live", payload: "now")
        let delivered = try await client.next(timeout: Self.wait)
        guard case let .publish(publish) = delivered else {
            Issue.record("expected PUBLISH, got \(delivered)")
            return
        }
        #expect(String(buffer: publish.payload) == "now")
        await client.close()
        await harness.stop()
    }

    @Test("a datagram from an address with no client gets DISCONNECT (SPEC §3)")
    func unknownPeer() async throws {
        let harness = try await ServerHarness.start()
        let client = try await harness.client()
        let reply = try await client.exchange(.publish(MQTTSNPublish(
            qos: .atLeastOnce, topic: .normal(1), messageID: 1, payload: ByteBuffer(string: "x")
        )))
        #expect(reply == .disconnect(durationSeconds: nil))
        await client.close()
        await harness.stop()
    }

    @Test("forwarder encapsulation (§5.5): two nodes behind one forwarder, answers wrapped back to each")
    func forwarder() async throws {
        let harness = try await ServerHarness.start()
        let subscription = try await harness.broker.startSubscription(topic: "t/fwd/#")
        let forwarder = try await harness.client()
        func wrapped(_ node: [UInt8], _ packet: MQTTSNPacket) -> MQTTSNPacket {
            .encapsulated(MQTTSNEncapsulation(wirelessNodeID: node, message: packet))
        }
        let connect = { (id: String) in MQTTSNPacket.connect(MQTTSNConnect(durationSeconds: 60, clientID: id)) }
        #expect(try await forwarder.exchange(wrapped([0x01, 0x02], connect("node-a"))) == wrapped([0x01, 0x02], .connAck(.accepted)))
        #expect(try await forwarder.exchange(wrapped([0x03], connect("node-b"))) == wrapped([0x03], .connAck(.accepted)))

        let reply = try await forwarder.exchange(wrapped([0x03], .register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "fwd/b"))))
        guard case let .encapsulated(encapsulation) = reply, case let .regAck(ack) = encapsulation.message else {
            Issue.record("expected an encapsulated REGACK, got \(reply)")
            return
        }
        #expect(encapsulation.wirelessNodeID == [0x03])
        try await forwarder.send(wrapped([0x03], .publish(MQTTSNPublish(topic: .normal(ack.topicID), payload: ByteBuffer(string: "b!")))))
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.topic == "t/fwd/b")
        #expect(message.payloadString == "b!")

        await subscription.cancel()
        await forwarder.close()
        await harness.stop()
    }

    @Test("IPv4 and IPv6 clients at once through one server")
    func bothFamilies() async throws {
        let harness = try await ServerHarness.start(listen: [.init(host: "127.0.0.1", port: 0), .init(host: "::1", port: 0)])
        let subscription = try await harness.broker.startSubscription(topic: "t/family/#")
        #expect(harness.addresses.map(\.protocol) == [.inet, .inet6])
        for (index, name) in [(0, "v4"), (1, "v6")] {
            let client = try await harness.client(index)
            #expect(try await client.connect(clientID: "node-\(name)") == .connAck(.accepted))
            let topicID = try await Self.register(client, "family/\(name)", messageID: 1)
            try await client.send(.publish(MQTTSNPublish(topic: .normal(topicID), payload: ByteBuffer(string: name))))
            let message = try await subscription.next(timeout: Self.wait)
            #expect(message.topic == "t/family/\(name)")
            await client.close()
        }
        await subscription.cancel()
        await harness.stop()
    }
}
