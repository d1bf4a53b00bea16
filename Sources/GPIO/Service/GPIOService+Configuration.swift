import PerchCore

extension GPIOService {
    /// Everything the pins need from perchd's configuration (SPEC §6).
    public struct Configuration: Sendable {
        /// The chip as configured, for messages (`gpiochip0`, a path, a label, `simulated`).
        public var chip: String
        /// The pins Perch may touch; nothing else is ever requested.
        public var pins: [GPIOPin]
        /// `perch/{gateway}/gpio`: commands arrive on `{prefix}/{name}/set`,
        /// states leave on `{prefix}/{name}/state`.
        public var topicPrefix: String
        /// `{state_directory}/gpio-state.json`: the commanded states of `initial: restore` pins.
        public var stateFilePath: String
        /// Home Assistant discovery; `nil` when off.
        public var homeAssistant: HomeAssistantDiscovery?
        /// Per-pin command rate and refusal logging.
        public var limits: GPIOLimits

        /// Creates the configuration.
        public init(
            chip: String,
            pins: [GPIOPin],
            topicPrefix: String,
            stateFilePath: String,
            homeAssistant: HomeAssistantDiscovery? = nil,
            limits: GPIOLimits = GPIOLimits()
        ) {
            self.chip = chip
            self.pins = pins
            self.topicPrefix = topicPrefix
            self.stateFilePath = stateFilePath
            self.homeAssistant = homeAssistant
            self.limits = limits
        }

        /// `{prefix}/+/set`: one subscription for every pin's commands.
        var commandFilter: String { "\(topicPrefix)/+/set" }

        /// The pin a command topic names, if `topic` is `{prefix}/{name}/set`.
        func pinName(ofCommandTopic topic: String) -> String? {
            let head = topicPrefix + "/"
            guard topic.hasPrefix(head), topic.hasSuffix("/set") else { return nil }
            let name = topic.dropFirst(head.count).dropLast("/set".count)
            guard !name.isEmpty, !name.contains("/") else { return nil }
            return String(name)
        }

        /// `{prefix}/{name}/state`.
        func stateTopic(ofPin name: String) -> String { "\(topicPrefix)/\(name)/state" }
    }
}
