import Foundation
import NIOCore
import PerchCore

/// Home Assistant MQTT discovery for the pins (SPEC §6, `gpio.homeassistant`):
/// one retained config message per pin, outputs as `switch`, inputs as
/// `binary_sensor`, all under one device, with the status topic as availability.
///
/// Home Assistant announces itself with `online` on `{prefix}/status` (its
/// birth message) when it starts; the configs are published again then, so
/// entities come back even if the broker lost its retained messages.
public struct HomeAssistantDiscovery: Sendable, Hashable {
    /// The discovery prefix, `homeassistant` by default.
    public let prefix: String
    /// `gateway.id`.
    public let gateway: String
    /// The status topic: its JSON document's `state` says online or offline.
    public let statusTopic: String
    /// The topics of the pins: `{gpioTopicPrefix}/{pin}/state` and `…/set`.
    public let gpioTopicPrefix: String
    /// Perch's version, shown on the device and the origin.
    public let version: String

    /// Creates the discovery for one gateway.
    /// - Parameters:
    ///   - gpioTopicPrefix: such as `perch/greenhouse-pi/gpio`, `${gateway}`
    ///     already replaced; a trailing `/` is ignored.
    public init(prefix: String, gateway: String, statusTopic: String, gpioTopicPrefix: String, version: String) {
        self.prefix = prefix
        self.gateway = gateway
        self.statusTopic = statusTopic
        self.gpioTopicPrefix = gpioTopicPrefix.hasSuffix("/") ? String(gpioTopicPrefix.dropLast()) : gpioTopicPrefix
        self.version = version
    }

    /// Where Home Assistant announces itself: `{prefix}/status`.
    public var birthTopic: String { "\(prefix)/status" }

    /// Whether a message on `birthTopic` says Home Assistant has (re)started.
    public static func isBirth(_ payload: String) -> Bool {
        payload.trimmingCharacters(in: .whitespacesAndNewlines) == "online"
    }

    /// Whether a message on `birthTopic` says Home Assistant has (re)started.
    public static func isBirth(_ payload: ByteBuffer) -> Bool {
        isBirth(String(buffer: payload))
    }

    /// The node id in discovery topics and the device's identifier: `perch_{gateway}`.
    public var nodeID: String { Self.sanitized("perch_\(gateway)") }

    /// One retained config message per pin, in the order given.
    public func configMessages(for pins: [GPIOPin]) -> [(topic: String, payload: String)] {
        pins.map { (topic: configTopic(for: $0), payload: payload(for: $0)) }
    }

    /// The config messages ready to publish: retained, at QoS 1, so Home
    /// Assistant finds them whenever it subscribes.
    public func retainedConfigMessages(for pins: [GPIOPin]) -> [Message] {
        configMessages(for: pins).map { Message(topic: $0.topic, text: $0.payload, qos: .atLeastOnce, retain: true) }
    }

    /// `{prefix}/switch/{node}/{pin}/config` for an output,
    /// `{prefix}/binary_sensor/{node}/{pin}/config` for an input.
    public func configTopic(for pin: GPIOPin) -> String {
        "\(prefix)/\(Self.component(for: pin))/\(nodeID)/\(Self.sanitized(pin.name))/config"
    }

    /// The config message that removes the pin's entity from Home Assistant:
    /// an empty retained payload on its config topic.
    public func removalMessage(for pin: GPIOPin) -> (topic: String, payload: String) {
        (topic: configTopic(for: pin), payload: "")
    }

    /// The config JSON of one pin: sorted keys, slashes unescaped.
    public func payload(for pin: GPIOPin) -> String {
        let config = HomeAssistantEntityConfig(pin: pin, discovery: self)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A tree of strings and integers always encodes.
        guard let data = try? encoder.encode(config) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// `switch` or `binary_sensor`: the Home Assistant platform of the pin.
    static func component(for pin: GPIOPin) -> String {
        switch pin.direction {
        case .output: "switch"
        case .input: "binary_sensor"
        }
    }

    /// Home Assistant allows only `[A-Za-z0-9_-]` in discovery topic levels
    /// and ids; anything else becomes `_`.
    static func sanitized(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": Character(scalar)
            default: "_"
            }
        })
    }
}
