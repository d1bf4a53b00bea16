import PerchCore

/// `gpio`: the Pi's own pins, driven from command topics (SPEC §6).
public struct GPIOConfiguration: Sendable, Equatable {
    /// `gpio.chip`: chip name, path or label; `simulated` for a simulated chip.
    /// Default: `gpiochip0`.
    public var chip: String
    /// `gpio.pins`: the pins Perch may touch; names and lines are unique.
    public var pins: [GPIOPin]
    /// `gpio.homeassistant`: Home Assistant discovery; `nil` (off) when absent.
    public var homeAssistant: HomeAssistantConfiguration?

    /// The chip name that selects the simulated chip.
    public static let simulatedChip = "simulated"

    /// Creates the section.
    public init(chip: String = "gpiochip0", pins: [GPIOPin] = [], homeAssistant: HomeAssistantConfiguration? = nil) {
        self.chip = chip
        self.pins = pins
        self.homeAssistant = homeAssistant
    }

    /// Whether the pins run on the simulated chip.
    public var isSimulated: Bool { chip == Self.simulatedChip }
}

/// `gpio.homeassistant`: MQTT discovery for Home Assistant.
public struct HomeAssistantConfiguration: Sendable, Equatable {
    /// `discovery`: publish discovery messages. Default: `true`.
    public var discovery: Bool
    /// `prefix`: the discovery topic prefix. Default: `homeassistant`.
    public var prefix: String

    /// Creates the section.
    public init(discovery: Bool = true, prefix: String = "homeassistant") {
        self.discovery = discovery
        self.prefix = prefix
    }
}
