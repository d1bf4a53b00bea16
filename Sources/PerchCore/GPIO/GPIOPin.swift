/// One entry of `gpio.pins`.
public struct GPIOPin: Sendable, Hashable {
    /// `name`: used in `perch/${gateway}/gpio/{name}/…` topics (required).
    public var name: String
    /// `line`: the line name or offset on the chip (required).
    public var line: GPIOLine
    /// `direction`. Default: `input`, which never drives anything.
    public var direction: PinDirection
    /// `active_low`: ON means electrically low. Default: `false`.
    public var activeLow: Bool
    /// `bias` (inputs only). Default: `as_is`.
    public var bias: PinBias
    /// `debounce` (inputs only). Default: 0ms (off).
    public var debounce: Duration
    /// `initial` (outputs only): the state set at start. Default: `off`.
    public var initial: PinInitialState
    /// `on_exit` (outputs only): what happens when Perch stops. Default: `keep`.
    public var onExit: PinExitAction

    /// Creates a pin.
    public init(
        name: String,
        line: GPIOLine,
        direction: PinDirection = .input,
        activeLow: Bool = false,
        bias: PinBias = .asIs,
        debounce: Duration = .zero,
        initial: PinInitialState = .off,
        onExit: PinExitAction = .keep
    ) {
        self.name = name
        self.line = line
        self.direction = direction
        self.activeLow = activeLow
        self.bias = bias
        self.debounce = debounce
        self.initial = initial
        self.onExit = onExit
    }
}

/// How a pin's line is named: by line name, which is the same on a Pi 4 and a
/// Pi 5, or by offset on the chip.
public enum GPIOLine: Sendable, Hashable, CustomStringConvertible {
    /// A line name such as `GPIO17`.
    case name(String)
    /// A line offset on the chip.
    case offset(Int)

    /// The name, or the offset in decimal.
    public var description: String {
        switch self {
        case let .name(name): name
        case let .offset(offset): String(offset)
        }
    }
}

/// `direction` of a pin.
public enum PinDirection: String, Sendable, Hashable, CaseIterable {
    /// Read and published on every debounced edge.
    case input
    /// Driven from the `…/set` topic.
    case output
}

/// `bias` of an input pin.
public enum PinBias: String, Sendable, Hashable, CaseIterable {
    /// Leave the line's bias as it is.
    case asIs = "as_is"
    /// No pull resistor.
    case disabled = "disable"
    /// Pull up.
    case pullUp = "pull_up"
    /// Pull down.
    case pullDown = "pull_down"
}

/// `initial` state of an output pin.
public enum PinInitialState: String, Sendable, Hashable, CaseIterable {
    /// On at start.
    case on
    /// Off at start.
    case off
    /// The last commanded state, kept across restarts.
    case restore
}

/// `on_exit`: what an output pin does when Perch stops.
public enum PinExitAction: String, Sendable, Hashable, CaseIterable {
    /// Stay as it is.
    case keep
    /// Go to its `initial` state.
    case initial
    /// Turn off.
    case off
}
