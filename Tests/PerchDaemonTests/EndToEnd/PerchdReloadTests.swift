import Foundation
import MQTTSNCodec
import NIOCore
import NIOPosix
import PerchTestKit
import Testing

/// `systemctl reload perchd` (SIGHUP) against a real perchd and Mosquitto:
/// what applies live, what waits for a restart, a bad file, and what systemd
/// hears (issue 7).
@Suite("perchd end to end: reload and the systemd watchdog")
struct PerchdReloadTests {
    static let wait = Duration.seconds(15)
    static let mqttsn = """
        mqttsn:
          listen: ["127.0.0.1:0"]
          predefined_topics: { 1: sensors/one }
        """
    static let malformed = ByteBuffer(bytes: [0x09, 0x16])

    static func publish(id: UInt16, messageID: UInt16, _ text: String) -> MQTTSNPacket {
        .publish(MQTTSNPublish(qos: .atLeastOnce, topic: .predefined(id), messageID: messageID, payload: ByteBuffer(string: text)))
    }

    @Test("log level, status interval and predefined topics apply live; a restart-only key is named, not applied")
    func liveSettings() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, mqttsnYAML: Self.mqttsn, extraYAML: "status: { interval: 1h }", logLevel: "info")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await group.shutdownGracefully() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let address = try await perchd.mqttsnAddress()
        let statuses = try await broker.startSubscription(topic: perchd.statusTopic)
        let sensors = try await broker.startSubscription(topic: "sensors/#", qos: 1)
        let client = try await MQTTSNTestClient.make(talkingTo: address, group: group)
        #expect(try await client.connect(clientID: "reload-node") == .connAck(.accepted))

        // Before: id 7 is not predefined, and a malformed datagram is not logged at info.
        let refused = try await client.exchange(Self.publish(id: 7, messageID: 1, "early"))
        #expect(refused != .pubAck(MQTTSNTopicAck(topicID: 7, messageID: 1)))
        try await client.sendRaw(Self.malformed)
        #expect(try await client.exchange(.pingRequest(clientID: nil)) == .pingResponse)
        #expect(!perchd.process.outputText.contains("malformed datagram"))

        try perchd.reload { text in
            text.replacingOccurrences(of: "level: info", with: "level: trace")
                .replacingOccurrences(of: "{ 1: sensors/one }", with: "{ 1: sensors/one, 7: sensors/seven }")
                .replacingOccurrences(of: "interval: 1h", with: "interval: 1s")
                .replacingOccurrences(of: "keepalive: 5s", with: "keepalive: 6s")
        }
        let loaded = try await perchd.process.waitForLine(containing: "reload: configuration file loaded", timeout: Self.wait)
        for key in ["log.level", "mqttsn.predefined_topics", "status.interval"] {
            #expect(loaded.contains(key), "\(key) not applied: \(loaded)")
        }
        #expect(!loaded.contains("uplink.keepalive"))
        let restart = try await perchd.process.waitForLine(containing: "apply only when perchd restarts", timeout: Self.wait)
        #expect(restart.contains("uplink.keepalive"))

        // The status says so at once, and then every second (the old interval was an hour).
        for _ in 0..<2 {
            let document = try await statuses.next(timeout: Self.wait) { $0.jsonObject?["reload"] != nil }
            let section = try #require(document.jsonObject?["reload"] as? [String: Any])
            #expect(section["reloads"] as? Int == 1)
            #expect(section["last_error"] is NSNull)
            #expect(section["restart_needed"] as? [String] == ["uplink.keepalive"])
        }

        // After: id 7 publishes to its new topic, and trace lines are written.
        #expect(try await client.exchange(Self.publish(id: 7, messageID: 2, "late")) == .pubAck(MQTTSNTopicAck(topicID: 7, messageID: 2)))
        let message = try await sensors.next(timeout: Self.wait)
        #expect(message.topic == "sensors/seven")
        #expect(message.payloadString == "late")
        try await client.sendRaw(Self.malformed)
        _ = try await perchd.process.waitForLine(containing: "malformed datagram", timeout: Self.wait)

        await statuses.cancel()
        await sensors.cancel()
        await client.close()
    }

    @Test("a bad file keeps the running configuration and says why, with line and column, in the log and the status")
    func badFileKeepsRunning() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try RunningPerchd.start(against: broker, mqttsnYAML: Self.mqttsn, logLevel: "info")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { await perchd.cleanUp(); await broker.shutdown(); try? await group.shutdownGracefully() } }

        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let address = try await perchd.mqttsnAddress()
        let statuses = try await broker.startSubscription(topic: perchd.statusTopic)

        try perchd.reload { text in
            text.replacingOccurrences(of: "level: info", with: "level: loud")
                .replacingOccurrences(of: "{ 1: sensors/one }", with: "{ 1: sensors/one, 7: sensors/seven }")
        }
        let error = try await perchd.process.waitForLine(containing: "reload: ", timeout: Self.wait)
        #expect(error.contains("perch.yaml:") && error.contains("log.level"), "\(error)")
        _ = try await perchd.process.waitForLine(containing: "the running configuration stays", timeout: Self.wait)
        let document = try await statuses.next(timeout: Self.wait) { $0.jsonObject?["reload"] != nil }
        let section = try #require(document.jsonObject?["reload"] as? [String: Any])
        let lastError = try #require(section["last_error"] as? String)
        #expect(lastError.contains("perch.yaml:") && lastError.contains("log.level"), "\(lastError)")
        #expect(document.statusState == "online")
        #expect(perchd.process.isRunning)

        // Nothing of the bad file was applied: id 7 is still unknown, id 1 still works.
        let client = try await MQTTSNTestClient.make(talkingTo: address, group: group)
        #expect(try await client.connect(clientID: "reload-node") == .connAck(.accepted))
        #expect(try await client.exchange(Self.publish(id: 7, messageID: 1, "x")) != .pubAck(MQTTSNTopicAck(topicID: 7, messageID: 1)))
        #expect(try await client.exchange(Self.publish(id: 1, messageID: 2, "y")) == .pubAck(MQTTSNTopicAck(topicID: 1, messageID: 2)))
        await statuses.cancel()
        await client.close()
    }

    @Test("gpio.pins live: an added pin is requested and published, a removed one cleared, an unchanged one keeps its line and level")
    func gpioPins() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try PerchdGPIOTests.start(broker, gpio: PerchdGPIOTests.gpioYAML(homeAssistant: true))
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        try await PerchdGPIOTests.commandsSubscribed(broker, perchd)
        let prefix = "perch/\(perchd.gatewayID)/gpio"
        let states = try await broker.startSubscription(topic: "\(prefix)/+/state", qos: 1)
        let discovery = try await broker.startSubscription(topic: "ha/#", qos: 1)
        _ = try await states.next(timeout: Self.wait) { $0.topic.hasSuffix("relay1/state") && $0.payloadString == "OFF" }
        try await broker.publish(topic: "\(prefix)/relay1/set", payload: "ON", qos: 1)
        _ = try await states.next(timeout: Self.wait) { $0.topic.hasSuffix("relay1/state") && $0.payloadString == "ON" }
        let linesBefore = perchd.process.lines.count

        try perchd.reload { text in
            text.replacingOccurrences(of: "initial: off }", with: "initial: off, on_exit: off }")
                .replacingOccurrences(
                    of: "- { name: door, line: GPIO27, direction: input, active_low: true, bias: pull_up, debounce: 20ms }",
                    with: "- { name: relay2, line: GPIO22, direction: output, initial: on }")
        }
        let loaded = try await perchd.process.waitForLine(containing: "reload: configuration file loaded", timeout: Self.wait)
        #expect(loaded.contains("gpio.pins"), "\(loaded)")
        let relay2 = try await states.next(timeout: Self.wait) { $0.topic.hasSuffix("relay2/state") }
        #expect(relay2.payloadString == "ON")
        _ = try await perchd.process.waitForLine(containing: "simulated GPIO22 (perch:relay2) → high (ON)", timeout: Self.wait)
        #expect(try await broker.retained(topic: "\(prefix)/door/state") == nil, "the removed pin's retained state is cleared")
        #expect(try await broker.retained(topic: "\(prefix)/relay1/state")?.payloadString == "ON")
        // relay1 kept its request: nothing drove GPIO17 after the reload.
        let linesAfter = perchd.process.lines.dropFirst(linesBefore).map(\.text)
        #expect(!linesAfter.contains { $0.contains("GPIO17") }, "\(linesAfter.filter { $0.contains("GPIO17") })")

        // Home Assistant: relay2 announced, door removed (an empty retained config).
        let announced = try await discovery.next(timeout: Self.wait) { $0.topic.hasSuffix("/relay2/config") }
        #expect(announced.payloadString.contains("relay2"))
        #expect(try await broker.retained(topic: "ha/binary_sensor/+/door/config") == nil)
        await states.cancel()
        await discovery.cancel()
    }

    @Test("coap.resources live: a new alias is served and listed, a removed one answers 4.04 and its observer's subscription is released")
    func coapAliases() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let coap = """
            coap:
              listen: ["127.0.0.1:0"]
              resources:
                - { path: t, topic: "sensors/t" }
            """
        let perchd = try RunningPerchd.start(against: broker, coapYAML: coap)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        _ = try await perchd.process.waitForLine(containing: "uplink connected", timeout: Self.wait)
        let client = CoAPTestClient(port: try await perchd.coapPort())

        // An observer of the alias that is about to go: perchd subscribes upstream for it.
        let observer = try client.start("get", path: "t", extraArguments: ["-s", "30"], limit: .seconds(40))
        defer { observer.kill() }
        _ = try await broker.waitForLog(containing: "Sending SUBACK to \(perchd.clientID)", timeout: Self.wait)

        try perchd.reload { $0.replacingOccurrences(of: #"{ path: t, topic: "sensors/t" }"#, with: #"{ path: h, topic: "sensors/h" }"#) }
        let loaded = try await perchd.process.waitForLine(containing: "reload: configuration file loaded", timeout: Self.wait)
        #expect(loaded.contains("coap.resources"), "\(loaded)")
        _ = try await broker.waitForLog(containing: "Received UNSUBSCRIBE from \(perchd.clientID)", timeout: Self.wait)

        let subscription = try await broker.startSubscription(topic: "sensors/#", qos: 1)
        let put = try await client.run("put", path: "h", payload: "humid")
        #expect(put.coapResponses.contains { $0.contains("c:2.04") }, "\(put)")
        let message = try await subscription.next(timeout: Self.wait)
        #expect(message.topic == "sensors/h")
        #expect(message.payloadString == "humid")
        let gone = try await client.run("put", path: "t", payload: "late")
        #expect(gone.coapResponses.contains { $0.contains("c:4.04") }, "\(gone)")
        let core = try await client.run("get", path: ".well-known/core")
        #expect(core.contains("</h>") && !core.contains("</t>"), "\(core)")
        await subscription.cancel()
    }

    @Test("systemd hears READY=1, WATCHDOG=1 every half WATCHDOG_USEC, and RELOADING=1 with MONOTONIC_USEC then READY=1 on SIGHUP")
    func notifications() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let socketPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("perch-e2e-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let listener = try NotifySocketListener(address: socketPath)
        let perchd = try RunningPerchd.start(
            against: broker, mqttsnYAML: Self.mqttsn,
            environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "400000"]
        )
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        /// The next datagram for which `matches` holds, skipping at most 200
        /// others, within 20 s (each receive waits at most 5 s).
        func next(_ what: String, _ matches: (String) -> Bool) throws -> String {
            let deadline = ContinuousClock.now + .seconds(20)
            for _ in 0..<200 where ContinuousClock.now < deadline {
                guard let datagram = listener.receive() else { continue }
                if matches(datagram) { return datagram }
            }
            throw MQTTSNLogLineError(line: "no \(what) on the notification socket")
        }
        _ = try next("READY=1") { $0.hasPrefix("READY=1") }
        _ = try next("WATCHDOG=1") { $0 == "WATCHDOG=1" }
        _ = try next("another WATCHDOG=1") { $0 == "WATCHDOG=1" }

        perchd.process.send(signal: SIGHUP)
        let reloading = try next("RELOADING=1") { $0.hasPrefix("RELOADING=1") }
        let fields = reloading.split(separator: "\n")
        #expect(fields.count == 2)
        let monotonic = try #require(fields.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(monotonic > 0)
        _ = try next("READY=1 after the reload") { $0.hasPrefix("READY=1") }
        _ = try next("WATCHDOG=1 after the reload") { $0 == "WATCHDOG=1" }
    }
}
