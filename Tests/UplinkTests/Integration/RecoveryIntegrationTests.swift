import MQTTCodec
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import Synchronization
import Testing
import Uplink

@Suite(.serialized) struct RecoveryIntegrationTests {
    /// A clean start on every connection: the broker forgets the subscription,
    /// so the uplink must subscribe again after the restart.
    @Test func subscriptionsAreRestoredWhenTheBrokerHasNoSession() async throws {
        try await withBroker { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-restore")
            configuration.cleanStart = true
            try await withRunningUplink(configuration) { running in
                _ = try await withTimeout(.seconds(10), "SUBACK") {
                    try await running.uplink.subscribe("perch/restore/#", qos: .atLeastOnce)
                }
                try await broker.restart()
                try await waitForStatus(running.uplink, "reconnected") { $0.isConnected && $0.reconnects == 1 }
                try await broker.waitForLog(containing: "perch-restore 1 perch/restore/#", timeout: .seconds(10))
                try await broker.publish(topic: "perch/restore/x", payload: "back", qos: 1)
                let downlink = running.uplink.downlink
                let message = try await withTimeout(.seconds(10), "the downlink after the restart") {
                    for await message in downlink { return message }
                    throw TimedOut(what: "downlink ended")
                }
                #expect(String(buffer: message.payload) == "back")
            }
        }
    }

    @Test func keepAliveSendsPingRequests() async throws {
        try await withBroker { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-ping", version: .v3_1_1)
            configuration.keepAlive = .seconds(1)
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
                try await broker.waitForLog(containing: "Received PINGREQ from perch-ping", timeout: .seconds(5))
                try await broker.waitForLog(containing: "Sending PINGRESP to perch-ping", timeout: .seconds(5))
                #expect(running.uplink.status.isConnected)
                #expect(running.uplink.status.reconnects == 0)
            }
        }
    }

    /// MQTT 5.0 §3.1.2.11.4: the uplink announces its Maximum Packet Size and
    /// the broker drops larger messages for it instead of breaking the link.
    @Test func brokerRespectsTheAnnouncedMaximumPacketSize() async throws {
        try await withBroker { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-small")
            configuration.maximumIncomingPacketSize = 256
            try await withRunningUplink(configuration) { running in
                _ = try await withTimeout(.seconds(10), "SUBACK") {
                    try await running.uplink.subscribe("perch/size/#", qos: .atLeastOnce)
                }
                try await broker.publish(topic: "perch/size/big", payload: String(repeating: "x", count: 1_000), qos: 1)
                try await broker.publish(topic: "perch/size/small", payload: "fits", qos: 1)
                let downlink = running.uplink.downlink
                let message = try await withTimeout(.seconds(10), "the small message") {
                    for await message in downlink { return message }
                    throw TimedOut(what: "downlink ended")
                }
                #expect(message.topic == "perch/size/small")
                #expect(running.uplink.status.isConnected)
                #expect(running.uplink.status.reconnects == 0)
            }
        }
    }
}
