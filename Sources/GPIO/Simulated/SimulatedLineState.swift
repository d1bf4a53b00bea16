import PerchCore

/// What the simulated chip knows about one line: its electrical level and who
/// holds it. Logical values (what callers see) are the level XOR `activeLow`,
/// the way the kernel applies a v1 active-low request flag.
struct SimulatedLineState: Sendable {
    /// The electrical level: `true` is high.
    var isHigh = false
    /// Set once something outside drove the line: from then on its level is
    /// that drive's, not the resting level of a request's bias.
    var isDrivenFromOutside = false
    /// The request holding the line, if any.
    var request: SimulatedLineRequest?

    /// The level an undriven input rests at with `bias`: a pull-up lifts it,
    /// anything else leaves it low.
    static func restingLevel(for bias: PinBias) -> Bool {
        switch bias {
        case .pullUp: true
        case .pullDown, .disabled, .asIs: false
        }
    }
}

/// A request held on a simulated line.
struct SimulatedLineRequest: Sendable {
    /// Tells this request from a later one on the same line, so a released
    /// handle can no longer move the line.
    var id: UInt64
    /// `perch:{pin}`, as `gpioinfo` would show it.
    var consumer: String
    /// ON is electrically low.
    var activeLow: Bool
    /// Output, or input with its bias and edge callback.
    var direction: Direction

    /// Which way the line was requested.
    enum Direction: Sendable {
        case output
        case input(bias: PinBias, onEdge: @Sendable () -> Void)
    }

    var isOutput: Bool {
        if case .output = direction { return true }
        return false
    }
}
