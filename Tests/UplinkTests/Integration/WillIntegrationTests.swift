import MQTTCodec
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import Synchronization
import Testing
import Uplink

/// The Last Will: kept back on a graceful shutdown, published when the link is lost.
@Suite(.serialized) struct WillIntegrationTests {
    @Test(arguments: [MQTTProtocolVersion.v5, .v3_1_1])
    func gracefulShutdownSendsDisconnectSoTheWillIsNotPublished(version: MQTTProtocolVersion) async throws {
        try await withBroker { broker in
            let watcher = try await broker.startSubscription(topic: "perch/will/status", qos: 1)
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-will", version: version)
            configuration.will = .init(topic: "perch/will/status", payload: ByteBuffer(string: #"{"state":"offline"}"#))
            let running = RunningUplink(configuration)
            try await waitForStatus(running.uplink, "connected") { $0.isConnected }
            try await running.stop()
            try await broker.waitForLog(containing: "Client perch-will disconnected", timeout: .seconds(10))
            #expect(try await broker.retained(topic: "perch/will/status") == nil)
            #expect(watcher.messages.isEmpty)
            await watcher.cancel()
        }
    }

    /// The control for the test above: when the connection ends without
    /// DISCONNECT (here: another client takes the session over), the broker
    /// publishes the will, retained.
    @Test func willIsPublishedWhenTheConnectionEndsWithoutDisconnect() async throws {
        try await withBroker { broker in
            let watcher = try await broker.startSubscription(topic: "perch/will/status", qos: 1)
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-will-lost")
            configuration.will = .init(topic: "perch/will/status", payload: ByteBuffer(string: #"{"state":"offline"}"#))
            configuration.reconnect = .init(minimum: .seconds(5), maximum: .seconds(5))
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
                var intruder = broker.clientOptions
                intruder.clientID = "perch-will-lost"
                try await broker.publish(topic: "perch/other", payload: "x", options: intruder)
                let will = try await watcher.next(timeout: .seconds(10))
                #expect(will.payloadString == #"{"state":"offline"}"#)
                let retained = try await broker.retained(topic: "perch/will/status")
                #expect(retained?.payloadString == #"{"state":"offline"}"#)
            }
            await watcher.cancel()
        }
    }

    /// Shutdown waits for the messages in flight: every message whose publish
    /// succeeded reached the broker, and the will still stays unpublished.
    @Test func shutdownDrainsTheMessagesInFlight() async throws {
        try await withBroker { broker in
            let subscription = try await broker.startSubscription(topic: "perch/drain", qos: 1)
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-drain")
            configuration.will = .init(topic: "perch/drain/status", payload: ByteBuffer(string: "offline"))
            let running = RunningUplink(configuration)
            try await withTimeout(.seconds(10), "the first message") {
                try await running.uplink.publish(Message(topic: "perch/drain", text: "first", qos: .atLeastOnce))
            }
            let futures = (0..<50).map {
                running.uplink.enqueue(Message(topic: "perch/drain", text: "\($0)", qos: .atLeastOnce))
            }
            try await running.stopService()
            var accepted = ["first"]
            for (index, future) in futures.enumerated() {
                do {
                    try await withTimeout(.seconds(5), "message \(index) to be settled") { try await future.get() }
                    accepted.append("\(index)")
                } catch let error as UplinkError {
                    #expect(error == .shuttingDown)
                }
            }
            try await running.stop()
            #expect(accepted.count > 1)
            let received = try await subscription.waitForMessages(count: accepted.count, timeout: .seconds(10))
            #expect(Set(accepted).isSubset(of: Set(received.map(\.payloadString))))
            try await broker.waitForLog(containing: "Client perch-drain disconnected", timeout: .seconds(10))
            #expect(try await broker.retained(topic: "perch/drain/status") == nil)
            await subscription.cancel()
        }
    }
}
