import Foundation
import PerchCore

/// The discovery payload of one pin, field names as Home Assistant's MQTT
/// switch and binary sensor documentation gives them.
struct HomeAssistantEntityConfig: Encodable, Sendable {
    var name: String
    var uniqueID: String
    /// Read by Home Assistant before 2025.10 to name the entity id; ignored
    /// from 2026.4 on, which reads `default_entity_id` instead. Both are sent
    /// so either kind of installation gets `switch.perch_{gateway}_{pin}`.
    var objectID: String
    var defaultEntityID: String
    var stateTopic: String
    var commandTopic: String?
    var payloadOn: String
    var payloadOff: String
    var qos: Int
    var availability: [Availability]
    var device: Device
    var origin: Origin

    /// The status topic carries a JSON document; its `state` is `online`
    /// while Perch runs and `offline` in the Last Will (SPEC §2, §7).
    struct Availability: Encodable, Sendable {
        var topic: String
        var valueTemplate = "{{ value_json.state }}"
        var payloadAvailable = "online"
        var payloadNotAvailable = "offline"

        enum CodingKeys: String, CodingKey {
            case topic
            case valueTemplate = "value_template"
            case payloadAvailable = "payload_available"
            case payloadNotAvailable = "payload_not_available"
        }
    }

    /// The gateway, one device holding every pin.
    struct Device: Encodable, Sendable {
        var identifiers: [String]
        var name: String
        var manufacturer = "Perch"
        var model = "perchd"
        var swVersion: String

        enum CodingKeys: String, CodingKey {
            case identifiers, name, manufacturer, model
            case swVersion = "sw_version"
        }
    }

    /// Who published the config.
    struct Origin: Encodable, Sendable {
        var name = "Perch"
        var swVersion: String

        enum CodingKeys: String, CodingKey {
            case name
            case swVersion = "sw_version"
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, qos, availability, device, origin
        case uniqueID = "unique_id"
        case objectID = "object_id"
        case defaultEntityID = "default_entity_id"
        case stateTopic = "state_topic"
        case commandTopic = "command_topic"
        case payloadOn = "payload_on"
        case payloadOff = "payload_off"
    }

    init(pin: GPIOPin, discovery: HomeAssistantDiscovery) {
        let pinTopic = "\(discovery.gpioTopicPrefix)/\(pin.name)"
        let objectID = HomeAssistantDiscovery.sanitized("perch_\(discovery.gateway)_\(pin.name)")
        self.name = pin.name
        self.uniqueID = objectID
        self.objectID = objectID
        // An entity id is `{platform}.{slug}`: lower case, digits and `_` only.
        self.defaultEntityID = "\(HomeAssistantDiscovery.component(for: pin)).\(objectID.lowercased().replacingOccurrences(of: "-", with: "_"))"
        self.stateTopic = "\(pinTopic)/state"
        self.commandTopic = pin.direction == .output ? "\(pinTopic)/set" : nil
        // The state topic carries ON/OFF for inputs as for outputs (SPEC §2).
        self.payloadOn = "ON"
        self.payloadOff = "OFF"
        self.qos = 1
        self.availability = [Availability(topic: discovery.statusTopic)]
        self.device = Device(identifiers: [discovery.nodeID], name: "Perch \(discovery.gateway)", swVersion: discovery.version)
        self.origin = Origin(swVersion: discovery.version)
    }
}
