import Foundation
import GPIO
import NIOCore
import PerchCore
import Testing

@Suite("HomeAssistantDiscovery: config messages checked field by field")
struct HomeAssistantDiscoveryTests {
    let discovery = HomeAssistantDiscovery(
        prefix: "homeassistant", gateway: "greenhouse-pi", statusTopic: "perch/greenhouse-pi/status",
        gpioTopicPrefix: "perch/greenhouse-pi/gpio", version: "0.1.0")

    static let relay = GPIOPin(name: "relay1", line: .name("GPIO17"), direction: .output, activeLow: true, initial: .restore)
    static let door = GPIOPin(name: "door", line: .name("GPIO27"), direction: .input, bias: .pullUp, debounce: .milliseconds(50))

    /// Every key of an input's config; an output's adds `command_topic`.
    static let commonKeys: Set<String> = [
        "name", "unique_id", "object_id", "default_entity_id", "state_topic", "payload_on", "payload_off", "qos",
        "availability", "device", "origin",
    ]

    static func object(_ payload: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
    }

    /// The fields every entity has, whatever its platform.
    func expectCommonFields(_ config: [String: Any], pin: String, platform: String) throws {
        #expect(config["name"] as? String == pin)
        #expect(config["unique_id"] as? String == "perch_greenhouse-pi_\(pin)")
        #expect(config["object_id"] as? String == "perch_greenhouse-pi_\(pin)")
        #expect(config["default_entity_id"] as? String == "\(platform).perch_greenhouse_pi_\(pin)")
        #expect(config["state_topic"] as? String == "perch/greenhouse-pi/gpio/\(pin)/state")
        #expect(config["payload_on"] as? String == "ON")
        #expect(config["payload_off"] as? String == "OFF")
        #expect(config["qos"] as? Int == 1)
        #expect(config["device_class"] == nil)

        let availability = try #require(config["availability"] as? [[String: Any]])
        #expect(availability.count == 1)
        let status = try #require(availability.first)
        #expect(status["topic"] as? String == "perch/greenhouse-pi/status")
        #expect(status["value_template"] as? String == "{{ value_json.state }}")
        #expect(status["payload_available"] as? String == "online")
        #expect(status["payload_not_available"] as? String == "offline")
        #expect(status.count == 4)

        let device = try #require(config["device"] as? [String: Any])
        #expect(device["identifiers"] as? [String] == ["perch_greenhouse-pi"])
        #expect(device["name"] as? String == "Perch greenhouse-pi")
        #expect(device["manufacturer"] as? String == "Perch")
        #expect(device["model"] as? String == "perchd")
        #expect(device["sw_version"] as? String == "0.1.0")
        #expect(device.count == 5)

        let origin = try #require(config["origin"] as? [String: Any])
        #expect(origin["name"] as? String == "Perch")
        #expect(origin["sw_version"] as? String == "0.1.0")
        #expect(origin.count == 2)
    }

    @Test("an output is a switch with a command topic")
    func outputIsSwitch() throws {
        let messages = discovery.configMessages(for: [Self.relay])
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.topic == "homeassistant/switch/perch_greenhouse-pi/relay1/config")
        let config = try Self.object(message.payload)
        try expectCommonFields(config, pin: "relay1", platform: "switch")
        #expect(config["command_topic"] as? String == "perch/greenhouse-pi/gpio/relay1/set")
        #expect(Set(config.keys) == Self.commonKeys.union(["command_topic"]))
    }

    @Test("an input is a binary sensor without a command topic or device class")
    func inputIsBinarySensor() throws {
        let message = try #require(discovery.configMessages(for: [Self.door]).first)
        #expect(message.topic == "homeassistant/binary_sensor/perch_greenhouse-pi/door/config")
        let config = try Self.object(message.payload)
        try expectCommonFields(config, pin: "door", platform: "binary_sensor")
        #expect(config["command_topic"] == nil)
        #expect(Set(config.keys) == Self.commonKeys)
    }

    @Test("one message per pin, in order; keys sorted and slashes not escaped")
    func orderAndFormat() throws {
        let messages = discovery.configMessages(for: [Self.relay, Self.door])
        #expect(messages.map(\.topic) == [
            "homeassistant/switch/perch_greenhouse-pi/relay1/config",
            "homeassistant/binary_sensor/perch_greenhouse-pi/door/config",
        ])
        let payload = try #require(messages.first?.payload)
        #expect(!payload.contains(#"\/"#))
        #expect(payload.hasPrefix(#"{"availability":[{"payload_available":"online""#))
        #expect(discovery.configMessages(for: []).isEmpty)
    }

    @Test("ready to publish: retained at QoS 1, the same topics and payloads")
    func retained() {
        let messages = discovery.retainedConfigMessages(for: [Self.relay, Self.door])
        let plain = discovery.configMessages(for: [Self.relay, Self.door])
        #expect(messages.map(\.topic) == plain.map(\.topic))
        #expect(messages.map { String(buffer: $0.payload) } == plain.map(\.payload))
        #expect(messages.allSatisfy { $0.retain && $0.qos == .atLeastOnce })
    }

    @Test("characters Home Assistant does not allow in ids and topic levels become _")
    func sanitised() throws {
        let odd = HomeAssistantDiscovery(
            prefix: "ha", gateway: "barn.pi #2", statusTopic: "s", gpioTopicPrefix: "perch/barn.pi #2/gpio/", version: "1")
        let pin = GPIOPin(name: "fan ü", line: .offset(4), direction: .output)
        let message = try #require(odd.configMessages(for: [pin]).first)
        #expect(message.topic == "ha/switch/perch_barn_pi__2/fan__/config")
        let config = try Self.object(message.payload)
        #expect(config["unique_id"] as? String == "perch_barn_pi__2_fan__")
        #expect(config["name"] as? String == "fan ü")
        // The real topics keep the pin's name; only ids are sanitised. The trailing / is dropped.
        #expect(config["state_topic"] as? String == "perch/barn.pi #2/gpio/fan ü/state")
        let device = try #require(config["device"] as? [String: Any])
        #expect(device["identifiers"] as? [String] == ["perch_barn_pi__2"])
    }

    @Test("Home Assistant's birth message: online on {prefix}/status")
    func birth() {
        #expect(discovery.birthTopic == "homeassistant/status")
        #expect(HomeAssistantDiscovery.isBirth("online"))
        #expect(HomeAssistantDiscovery.isBirth("online\n"))
        #expect(HomeAssistantDiscovery.isBirth(ByteBuffer(string: "online")))
        #expect(!HomeAssistantDiscovery.isBirth("offline"))
        #expect(!HomeAssistantDiscovery.isBirth(""))
        #expect(!HomeAssistantDiscovery.isBirth(ByteBuffer(string: "Online!")))
    }

    @Test("a removed pin's entity is deleted with an empty retained config")
    func removal() {
        let message = discovery.removalMessage(for: Self.door)
        #expect(message.topic == "homeassistant/binary_sensor/perch_greenhouse-pi/door/config")
        #expect(message.payload.isEmpty)
    }
}
