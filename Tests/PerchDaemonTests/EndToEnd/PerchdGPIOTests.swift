import Foundation
import PerchTestKit
import Testing

/// perchd with GPIO pins on the simulated chip, against a real Mosquitto with
/// TLS (issue 6, SPEC §6): commands in, read-back states out, inputs driven
/// from outside through the chip's FIFO, restore across a restart.
@Suite("perchd end to end: GPIO")
struct PerchdGPIOTests {
    static let wait = Duration.seconds(20)

    /// A relay board output (active low: ON pulls the line down) and a door
    /// contact with the pull-up it needs (closed = low = ON).
    static func gpioYAML(chip: String = "simulated", relayInitial: String = "off", homeAssistant: Bool = false) -> String {
        """
        gpio:
          chip: \(chip)
          pins:
            - { name: relay1, line: GPIO17, direction: output, active_low: true, initial: \(relayInitial) }
            - { name: door, line: GPIO27, direction: input, active_low: true, bias: pull_up, debounce: 20ms }
        \(homeAssistant ? "  homeassistant: { discovery: true, prefix: ha }" : "")
        status: { interval: 1s }
        """
    }

    static func start(_ broker: MosquittoFixture, gpio: String = gpioYAML(), in directory: TemporaryDirectory? = nil, gatewayID: String? = nil) throws -> RunningPerchd {
        try RunningPerchd.start(
            against: broker, coapYAML: "coap: { listen: [] }", extraYAML: gpio,
            in: directory, gatewayID: gatewayID
        )
    }

    /// perchd has subscribed to its pins' command topics.
    static func commandsSubscribed(_ broker: MosquittoFixture, _ perchd: RunningPerchd) async throws {
        _ = try await broker.waitForLog(containing: "perch/\(perchd.gatewayID)/gpio/+/set", timeout: wait)
    }

    @Test("ON drives the line (low, active low), is read back and published retained; every form of command works")
    func commandDrivesAndPublishes() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try Self.start(broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        try await Self.commandsSubscribed(broker, perchd)
        let prefix = "perch/\(perchd.gatewayID)/gpio"
        let states = try await broker.startSubscription(topic: "\(prefix)/relay1/state", qos: 1)

        // At start: the initial state, read back, retained.
        let initial = try await states.next(timeout: Self.wait)
        #expect(initial.payloadString == "OFF")
        #expect(initial.isRetained)

        for (command, expected) in [("ON", "ON"), ("off", "OFF"), ("1", "ON"), ("false", "OFF"), ("TOGGLE", "ON"), (#"{"state": "OFF"}"#, "OFF")] {
            try await broker.publish(topic: "\(prefix)/relay1/set", payload: command, qos: 1)
            let state = try await states.next(timeout: Self.wait)
            #expect(state.payloadString == expected, "after \(command)")
        }
        _ = try await perchd.process.waitForLine(containing: "simulated GPIO17 (perch:relay1) → low (ON)", timeout: Self.wait)

        // A subscriber arriving later gets the last state from the broker.
        let retained = try await broker.retained(topic: "\(prefix)/relay1/state", timeout: .seconds(5))
        #expect(retained?.payloadString == "OFF")
        await states.cancel()
    }

    @Test("a pulse turns the output on, then off after its length")
    func pulse() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try Self.start(broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        try await Self.commandsSubscribed(broker, perchd)
        let prefix = "perch/\(perchd.gatewayID)/gpio"
        let states = try await broker.startSubscription(topic: "\(prefix)/relay1/state", qos: 1)
        _ = try await states.next(timeout: Self.wait) { $0.payloadString == "OFF" }

        let sent = ContinuousClock.now
        try await broker.publish(topic: "\(prefix)/relay1/set", payload: #"{"pulse_ms": 300}"#, qos: 1)
        _ = try await states.next(timeout: Self.wait) { $0.payloadString == "ON" }
        _ = try await states.next(timeout: Self.wait) { $0.payloadString == "OFF" }
        #expect(ContinuousClock.now - sent >= .milliseconds(300))
        await states.cancel()
    }

    @Test("an input driven through the simulated chip's FIFO publishes its debounced state")
    func inputThroughFIFO() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try Self.start(broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        let prefix = "perch/\(perchd.gatewayID)/gpio"
        let states = try await broker.startSubscription(topic: "\(prefix)/door/state", qos: 1)
        // At rest the pull-up holds the line high: the door is open, OFF.
        let atStart = try await states.next(timeout: Self.wait)
        #expect(atStart.payloadString == "OFF")

        // Contact bounce: low, high, low; what counts is the level after the debounce window.
        let fifo = perchd.directory.path + "/gpio-simulated"
        try Self.write("GPIO27 0\nGPIO27 1\n27 low\n", toFIFO: fifo)
        let closed = try await states.next(timeout: Self.wait)
        #expect(closed.payloadString == "ON")
        try Self.write("GPIO27 high\n", toFIFO: fifo)
        let opened = try await states.next(timeout: Self.wait)
        #expect(opened.payloadString == "OFF")
        await states.cancel()
    }

    @Test("initial: restore brings back the last commanded state after a restart")
    func restoreAcrossRestart() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let directory = try TemporaryDirectory(prefix: "perchd-e2e")
        let gpio = Self.gpioYAML(relayInitial: "restore")
        let first = try Self.start(broker, gpio: gpio, in: directory)
        defer { Task { await broker.shutdown() } }
        try await Self.commandsSubscribed(broker, first)
        let prefix = "perch/\(first.gatewayID)/gpio"
        let states = try await broker.startSubscription(topic: "\(prefix)/relay1/state", qos: 1)
        _ = try await states.next(timeout: Self.wait) { $0.payloadString == "OFF" }
        try await broker.publish(topic: "\(prefix)/relay1/set", payload: "ON", qos: 1)
        _ = try await states.next(timeout: Self.wait) { $0.payloadString == "ON" }
        let exit = try await first.process.stop()
        #expect(exit == .exited(0))
        await states.cancel()

        let second = try Self.start(broker, gpio: gpio, in: directory, gatewayID: first.gatewayID)
        defer { Task { await second.cleanUp() } }
        let status = try await broker.startSubscription(topic: second.statusTopic)
        let report = try await status.next(timeout: Self.wait) { ($0.jsonObject?["gpio"] as? [String: Any])?["relay1"] != nil }
        let pins = try #require(report.jsonObject?["gpio"] as? [String: Any])
        #expect(pins["relay1"] as? String == "ON")
        await status.cancel()
    }

    @Test("commands for unknown pins, for inputs and with bad payloads are refused and counted")
    func refusals() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try Self.start(broker)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        try await Self.commandsSubscribed(broker, perchd)
        let prefix = "perch/\(perchd.gatewayID)/gpio"
        try await broker.publish(topic: "\(prefix)/nosuchpin/set", payload: "ON", qos: 1)
        try await broker.publish(topic: "\(prefix)/door/set", payload: "ON", qos: 1)
        try await broker.publish(topic: "\(prefix)/relay1/set", payload: "MAYBE", qos: 1)

        let status = try await broker.startSubscription(topic: perchd.statusTopic)
        let report = try await status.next(timeout: Self.wait) { (($0.jsonObject?["gpio_info"] as? [String: Any])?["refused"] as? Int ?? 0) >= 3 }
        let info = try #require(report.jsonObject?["gpio_info"] as? [String: Any])
        #expect(info["refused"] as? Int == 3)
        #expect((info["chip"] as? String)?.contains("simulated") == true, "\(info)")
        let pins = try #require(report.jsonObject?["gpio"] as? [String: Any])
        #expect(pins["relay1"] as? String == "OFF", "a bad payload moved nothing")
        await status.cancel()
    }

    @Test("no GPIO chip: perchd keeps running and the status says what is wrong and how to fix it")
    func missingChip() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try Self.start(broker, gpio: Self.gpioYAML(chip: "pinctrl-rp1"))
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        let status = try await broker.startSubscription(topic: perchd.statusTopic)
        let report = try await status.next(timeout: Self.wait) { ($0.jsonObject?["gpio_info"] as? [String: Any])?["error"] is String }
        let info = try #require(report.jsonObject?["gpio_info"] as? [String: Any])
        let error = try #require(info["error"] as? String)
        #expect(error.contains("pinctrl-rp1"), "\(error)")
        #expect(report.statusState == "online")
        #expect(perchd.process.isRunning)
        await status.cancel()
    }

    @Test("Home Assistant discovery: a switch and a binary sensor, published again when Home Assistant comes online")
    func homeAssistantDiscovery() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let perchd = try Self.start(broker, gpio: Self.gpioYAML(homeAssistant: true))
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }
        let node = "perch_\(perchd.gatewayID)"
        let switchConfig = try await broker.startSubscription(topic: "ha/switch/\(node)/relay1/config", qos: 1)
        let first = try await switchConfig.next(timeout: Self.wait)
        let payload = try #require(first.jsonObject)
        #expect(payload["command_topic"] as? String == "perch/\(perchd.gatewayID)/gpio/relay1/set")
        #expect(payload["state_topic"] as? String == "perch/\(perchd.gatewayID)/gpio/relay1/state")
        let availability = try #require((payload["availability"] as? [[String: Any]])?.first)
        #expect(availability["topic"] as? String == perchd.statusTopic)
        let sensor = try await broker.retained(topic: "ha/binary_sensor/\(node)/door/config", timeout: Self.wait)
        #expect(sensor != nil)

        _ = try await broker.waitForLog(containing: "ha/status", timeout: Self.wait)
        try await broker.publish(topic: "ha/status", payload: "online", qos: 1)
        let again = try await switchConfig.next(timeout: Self.wait)
        #expect(again.payloadString == first.payloadString)
        await switchConfig.cancel()
    }

    private static func write(_ text: String, toFIFO path: String) throws {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw POSIXError(.EIO) }
    }
}
