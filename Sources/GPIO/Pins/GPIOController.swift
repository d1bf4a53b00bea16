import PerchCore

/// The pin logic of SPEC §6 as a state machine: commands, pulses, debounce,
/// `initial` / `on_exit`, the rate limit and refusals. No I/O, no clock and no
/// logging of its own: each event carries `now`, and what is to be done comes
/// back as `GPIOAction`s appended to the caller's buffer.
///
/// The runtime (`GPIOService`) owns one value, confined to one event loop, and:
/// - requests every output with `initialValue(ofOutput:)`, then calls `start`;
/// - hands it each message on a `/set` topic (`command`), each input edge the
///   driver reports (`inputEdge`);
/// - carries out the actions in order, reporting `.drive` with `outputDriven`
///   and `.read` with `inputRead`;
/// - calls `expireTimers` when `nextDeadline` has passed, and `stop` at shutdown.
///
/// Values are logical throughout: `true` is ON (active); active-low is the
/// driver's business. Pin names are case-sensitive.
public struct GPIOController<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The limits it was created with.
    public let limits: GPIOLimits
    /// Refusals so far, including the ones not logged.
    public internal(set) var refusedCount = 0

    /// Output pins in configuration order, so actions come out in a stable order.
    var outputs: [OutputPinState<Instant>] = []
    /// Input pins in configuration order.
    var inputs: [InputPinState<Instant>] = []
    /// Where each pin is, by name.
    var indexByName: [String: PinIndex] = [:]
    /// Which refusals are logged.
    var refusalLog = RefusalLog<Instant>()
    /// True once `start` has run.
    var isStarted = false
    /// True once `stop` has run: commands, edges and timers are ignored from then on.
    var isStopped = false

    /// Where a pin lives.
    enum PinIndex: Hashable {
        case output(Int)
        case input(Int)
    }

    /// The pin logic for `pins` (names are unique after configuration
    /// validation; should one repeat, the first wins). `restored` holds the
    /// saved commanded state of `initial: restore` outputs, by pin name.
    public init(pins: [GPIOPin], restored: [String: Bool], limits: GPIOLimits = GPIOLimits()) {
        self.limits = limits
        for pin in pins where indexByName[pin.name] == nil {
            switch pin.direction {
            case .output:
                indexByName[pin.name] = .output(outputs.count)
                outputs.append(OutputPinState(pin: pin, restored: restored[pin.name]))
            case .input:
                indexByName[pin.name] = .input(inputs.count)
                inputs.append(InputPinState(pin: pin))
            }
        }
    }

    /// The value output `name` is requested with at start: on, off, or for
    /// `initial: restore` the saved commanded state (off when none was saved).
    /// `nil` when `name` is not an output.
    public func initialValue(ofOutput name: String) -> Bool? {
        guard case let .output(index) = indexByName[name] else { return nil }
        return outputs[index].initialValue
    }

    /// The last known state of every pin, for the status document (SPEC §7):
    /// outputs as last read back, inputs as last published. Pins with no known
    /// state yet are absent.
    public var states: [String: Bool] {
        var states: [String: Bool] = [:]
        for output in outputs {
            if let value = output.readBack { states[output.pin.name] = value }
        }
        for input in inputs {
            if let value = input.published { states[input.pin.name] = value }
        }
        return states
    }

    /// The earliest pulse end or debounce window close, `nil` when nothing waits.
    public var nextDeadline: Instant? {
        let pulseEnds = outputs.lazy.compactMap(\.pulseEnd)
        let debounceEnds = inputs.lazy.compactMap(\.debounceEnd)
        return [pulseEnds.min(), debounceEnds.min()].compactMap { $0 }.min()
    }
}
