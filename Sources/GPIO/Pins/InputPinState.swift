import PerchCore

/// What the pin logic knows about one input pin.
struct InputPinState<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The pin as configured.
    var pin: GPIOPin
    /// The level last published; `nil` before the first read.
    var published: Bool?
    /// When the debounce window closes and the line is read; `nil` when no
    /// edge waits.
    var debounceEnd: Instant?

    init(pin: GPIOPin) {
        self.pin = pin
    }
}
