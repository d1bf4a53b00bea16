import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Testing
import Uplink

/// The uplink against a real Mosquitto, observed with `mosquitto_sub`.
@Suite(.serialized) struct PublishIntegrationTests {
    @Test(arguments: [MQTTProtocolVersion.v5, .v3_1_1])
    func publishesAtEveryQoS(version: MQTTProtocolVersion) async throws {
        try await withBroker { broker in
            let subscription = try await broker.startSubscription(topic: "perch/qos/#", qos: 2)
            let configuration = uplinkConfiguration(for: broker, clientID: "perch-qos", version: version)
            try await withRunningUplink(configuration) { running in
                for qos in [MQTTQoS.atMostOnce, .atLeastOnce, .exactlyOnce] {
                    let message = Message(topic: "perch/qos/\(qos.rawValue)", text: "qos \(qos.rawValue)", qos: qos)
                    try await withTimeout(.seconds(10), "publish at QoS \(qos.rawValue)") {
                        try await running.uplink.publish(message)
                    }
                }
                let received = try await subscription.waitForMessages(count: 3, timeout: .seconds(10))
                #expect(received.map(\.topic) == ["perch/qos/0", "perch/qos/1", "perch/qos/2"])
                #expect(received.map(\.payloadString) == ["qos 0", "qos 1", "qos 2"])
                #expect(received.map(\.qos) == [0, 1, 2])
                #expect(running.uplink.status.isConnected)
            }
            await subscription.cancel()
        }
    }

    /// One QoS per run: MQTT orders messages per QoS level only (MQTT 5.0 §4.6),
    /// and Mosquitto forwards a QoS 2 message at PUBREL, after later QoS 0/1 ones.
    @Test(arguments: [MQTTQoS.atMostOnce, .atLeastOnce, .exactlyOnce])
    func manyMessagesKeepTheirOrderThroughTheWindow(qos: MQTTQoS) async throws {
        try await withBroker { broker in
            let subscription = try await broker.startSubscription(topic: "perch/order", qos: 2)
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-order")
            configuration.inFlightWindow = 4
            try await withRunningUplink(configuration) { running in
                let count = 200
                let accepted = (0..<count).map { index in
                    running.uplink.enqueue(Message(topic: "perch/order", text: "\(index)", qos: qos))
                }
                for future in accepted {
                    try await withTimeout(.seconds(20), "the broker to accept every message") { try await future.get() }
                }
                let received = try await subscription.waitForMessages(count: count, timeout: .seconds(20))
                #expect(received.map(\.payloadString) == (0..<count).map(String.init))
            }
            await subscription.cancel()
        }
    }

    /// `send(_:)` (no future) and `enqueue(_:)` share one FIFO: interleaved,
    /// from the uplink's own event loop and from outside it, they keep their order.
    @Test func sendWithoutAFutureKeepsItsPlaceInTheQueue() async throws {
        try await withBroker { broker in
            let subscription = try await broker.startSubscription(topic: "perch/send", qos: 1)
            try await withRunningUplink(uplinkConfiguration(for: broker, clientID: "perch-send")) { running in
                let uplink = running.uplink
                let count = 100
                for index in 0..<count / 2 {
                    let message = Message(topic: "perch/send", text: "\(index)")
                    if index.isMultiple(of: 2) { uplink.send(message) } else { _ = uplink.enqueue(message) }
                }
                // The second half from the uplink's own loop, where `send` skips the hop.
                let onLoop = uplink.eventLoop.submit {
                    for index in count / 2..<count {
                        let message = Message(topic: "perch/send", text: "\(index)")
                        if index.isMultiple(of: 2) { uplink.send(message) } else { _ = uplink.enqueue(message) }
                    }
                }
                try await onLoop.get()
                let received = try await subscription.waitForMessages(count: count, timeout: .seconds(20))
                #expect(received.map(\.payloadString) == (0..<count).map(String.init))
            }
            await subscription.cancel()
        }
    }

    @Test func contentTypeAndExpiryReachAVersion5Broker() async throws {
        try await withBroker { broker in
            let configuration = uplinkConfiguration(for: broker, clientID: "perch-props")
            try await withRunningUplink(configuration) { running in
                var message = Message(topic: "perch/props", text: "{}", qos: .atLeastOnce, retain: true)
                message.contentType = "application/json"
                message.expiry = .seconds(60)
                let sent = message
                try await withTimeout(.seconds(10), "publish") { try await running.uplink.publish(sent) }
                let retained = try await broker.retained(topic: "perch/props")
                #expect(retained?.payloadString == "{}")
                #expect(retained?.isRetained == true)
            }
        }
    }

    @Test func invalidTopicIsRefusedWithoutTouchingTheConnection() async throws {
        try await withBroker { broker in
            try await withRunningUplink(uplinkConfiguration(for: broker, clientID: "perch-invalid")) { running in
                await #expect(throws: UplinkError.self) {
                    try await running.uplink.publish(Message(topic: "bad/+/topic", text: "x"))
                }
                try await withTimeout(.seconds(10), "a valid publish") {
                    try await running.uplink.publish(Message(topic: "good/topic", text: "x", qos: .atLeastOnce))
                }
                #expect(running.uplink.status.reconnects == 0)
            }
        }
    }
}
