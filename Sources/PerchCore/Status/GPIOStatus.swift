/// The GPIO part of the status JSON (SPEC §7): `"gpio": {"relay1": "ON", …}`,
/// the pins by name, and beside it `"gpio_info"` with the chip, the error and
/// the refused commands. The pin map's keys are pin names, so nothing else can
/// share it without colliding with a pin called `chip` or `error`.
public struct GPIOStatus: Sendable, Equatable {
    /// Each pin's state by name: `true` is ON.
    public var pins: [String: Bool]
    /// The chip the pins run on, as it describes itself
    /// (`gpiochip0 [pinctrl-bcm2711] (58 lines)`); `nil` while none is open.
    public var chip: String?
    /// Why GPIO is not working (no chip, no permission), while it is not.
    public var error: String?
    /// Commands refused: unknown pins, invalid payloads, over the rate limit.
    public var refused: Int

    /// The section with the given contents.
    public init(pins: [String: Bool] = [:], chip: String? = nil, error: String? = nil, refused: Int = 0) {
        self.pins = pins
        self.chip = chip
        self.error = error
        self.refused = refused
    }
}

extension GPIOStatus {
    /// `"gpio"`: the pin map with SPEC §7's `ON`/`OFF`.
    struct PinSection: Encodable {
        var pins: [String: Bool]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(pins.mapValues { $0 ? "ON" : "OFF" })
        }
    }

    /// `"gpio_info"`: `chip` and `error` are always there, `null` when unknown
    /// or fine, as `uplink.last_error` is.
    struct InfoSection: Encodable {
        var status: GPIOStatus

        private enum CodingKeys: String, CodingKey {
            case chip, error, refused
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if let chip = status.chip {
                try container.encode(chip, forKey: .chip)
            } else {
                try container.encodeNil(forKey: .chip)
            }
            if let error = status.error {
                try container.encode(error, forKey: .error)
            } else {
                try container.encodeNil(forKey: .error)
            }
            try container.encode(status.refused, forKey: .refused)
        }
    }
}
