import PerchCore

/// What the pin logic knows about one output pin.
struct OutputPinState<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The pin as configured.
    var pin: GPIOPin
    /// The value the line is requested with at start, and `on_exit: initial` returns to.
    var initialValue: Bool
    /// The level last read back after a drive; `nil` before the first one.
    var readBack: Bool?
    /// The commanded state to save once the drive that carries it out has been
    /// read back (`initial: restore` pins only); `nil` when none is pending.
    var pendingSave: Bool?
    /// When a running pulse ends (the pin goes OFF); `nil` when none runs.
    var pulseEnd: Instant?
    /// The pin's command rate limit.
    var rateLimiter = CommandRateLimiter<Instant>()

    init(pin: GPIOPin, restored: Bool?) {
        self.pin = pin
        switch pin.initial {
        case .on: initialValue = true
        case .off: initialValue = false
        // Off when nothing was saved: a pin never commanded has never been on by Perch.
        case .restore: initialValue = restored ?? false
        }
    }

    /// Whether commanded states are saved for the next start.
    var savesState: Bool { pin.initial == .restore }
}
