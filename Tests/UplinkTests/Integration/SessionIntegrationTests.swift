import MQTTCodec
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import Synchronization
import Testing
import Uplink

@Suite(.serialized) struct SessionIntegrationTests {
    @Test func subscribesAndReceivesDownlinkMessages() async throws {
        try await withBroker { broker in
            try await withRunningUplink(uplinkConfiguration(for: broker, clientID: "perch-downlink")) { running in
                let granted = try await withTimeout(.seconds(10), "SUBACK") {
                    try await running.uplink.subscribe("perch/cmd/#", qos: .exactlyOnce)
                }
                #expect(granted == .exactlyOnce)
                try await broker.publish(topic: "perch/cmd/led", payload: "ON", qos: 1)
                try await broker.publish(topic: "perch/cmd/fan", payload: "OFF", qos: 2)
                let downlink = running.uplink.downlink
                let messages = try await withTimeout(.seconds(10), "two downlink messages") {
                    var messages: [Message] = []
                    for await message in downlink {
                        messages.append(message)
                        if messages.count == 2 { break }
                    }
                    return messages
                }
                #expect(messages.map(\.topic) == ["perch/cmd/led", "perch/cmd/fan"])
                #expect(messages.map { String(buffer: $0.payload) } == ["ON", "OFF"])
                #expect(messages.map(\.qos) == [.atLeastOnce, .exactlyOnce])
            }
        }
    }

    @Test func refusedCredentialsAreNamed() async throws {
        let credentials = MosquittoCredentials(username: "perch", password: "right")
        try await withBroker(credentials: credentials) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-auth")
            configuration.username = "perch"
            configuration.password = Array("wrong".utf8)
            try await withRunningUplink(configuration) { running in
                let status = try await waitForStatus(running.uplink, "a refusal") { $0.lastError != nil }
                #expect(status.lastError?.hasPrefix("broker refused the connection: ") == true)
                #expect(status.lastError?.contains("(0x8") == true)
            }
            configuration.password = Array("right".utf8)
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
            }
        }
    }

    /// The broker restarts: the status shows the loss and the return, messages
    /// published meanwhile are delivered in order, and a subscriber with a
    /// persistent session (another uplink, clean_start false) gets them all.
    @Test(arguments: [MQTTProtocolVersion.v5, .v3_1_1])
    func reconnectsAfterABrokerRestartAndDeliversQueuedMessagesInOrder(version: MQTTProtocolVersion) async throws {
        try await withBroker { broker in
            var subscriberConfiguration = uplinkConfiguration(for: broker, clientID: "perch-restart-sub", version: version)
            subscriberConfiguration.cleanStart = false
            try await withRunningUplink(subscriberConfiguration) { subscriber in
                _ = try await withTimeout(.seconds(10), "SUBACK") {
                    try await subscriber.uplink.subscribe("perch/restart/#", qos: .atLeastOnce)
                }
                let publisherConfiguration = uplinkConfiguration(for: broker, clientID: "perch-restart-pub", version: version)
                try await withRunningUplink(publisherConfiguration) { publisher in
                    let history = StatusHistory(publisher.uplink)
                    try await waitForStatus(publisher.uplink, "connected") { $0.isConnected }

                    try await broker.stop()
                    try await waitForStatus(publisher.uplink, "disconnected") { !$0.isConnected }
                    let accepted = (0..<20).map { index in
                        publisher.uplink.enqueue(Message(topic: "perch/restart/n", text: "\(index)", qos: .atLeastOnce))
                    }
                    try await broker.restart()
                    try await waitForStatus(publisher.uplink, "reconnected") { $0.isConnected && $0.reconnects == 1 }
                    for future in accepted {
                        try await withTimeout(.seconds(15), "the queued messages to be accepted") { try await future.get() }
                    }

                    let downlink = subscriber.uplink.downlink
                    let payloads = try await withTimeout(.seconds(15), "20 messages at the subscriber") {
                        var payloads: [String] = []
                        for await message in downlink where message.topic == "perch/restart/n" {
                            payloads.append(String(buffer: message.payload))
                            if payloads.count == 20 { break }
                        }
                        return payloads
                    }
                    #expect(payloads == (0..<20).map(String.init))

                    let seen = history.snapshot.map(\.isConnected)
                    let firstUp = try #require(seen.firstIndex(of: true))
                    let down = try #require(seen[firstUp...].firstIndex(of: false))
                    #expect(seen[down...].contains(true))
                    #expect(history.snapshot.last?.lastError != nil)
                }
            }
        }
    }

    /// A server that accepts TCP and never answers CONNECT.
    @Test func connectTimeoutWhenTheBrokerNeverAnswers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let silent = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        var configuration = Uplink.Configuration(host: "127.0.0.1", port: port, clientID: "perch-timeout")
        configuration.connectTimeout = .milliseconds(300)
        configuration.reconnect = .init(minimum: .milliseconds(100), maximum: .milliseconds(200))
        try await withRunningUplink(configuration) { running in
            let status = try await waitForStatus(running.uplink, "a timeout") { $0.lastError != nil }
            #expect(status.lastError == "no CONNACK from 127.0.0.1:\(port) within 0.3 seconds; the broker probably does not speak MQTT 5: set uplink.protocol: \"3.1.1\"")
        }
        try await silent.close()
        try await group.shutdownGracefully()
    }

    @Test func refusedConnectionIsReportedAndRetried() async throws {
        let port = try FreePort.make()
        var configuration = Uplink.Configuration(host: "127.0.0.1", port: port, clientID: "perch-refused")
        configuration.reconnect = .init(minimum: .milliseconds(50), maximum: .milliseconds(100))
        try await withRunningUplink(configuration) { running in
            let history = StatusHistory(running.uplink)
            let status = try await waitForStatus(running.uplink, "a refusal") { $0.lastError != nil }
            #expect(status.lastError?.hasPrefix("connection to 127.0.0.1:\(port) failed") == true)
            try await withTimeout(.seconds(10), "three failed attempts") {
                for await _ in running.uplink.statusChanges() where history.snapshot.count >= 4 { return }
            }
        }
    }
}
