import PerchCore

/// A GPIO chip as the pins see it: the libgpiod driver (`LibGPIODChip`, over
/// libgpiod 1.6 or 2.x, whichever the build found) and the simulated chip
/// (`SimulatedChip`).
///
/// Drivers stay thin: they open lines and move levels, nothing else. Values are
/// logical throughout (`true` is "active", ON): a line requested with
/// `activeLow` inverts in the driver, the way the kernel does it for an
/// active-low request, so no caller ever deals with electrical levels.
///
/// The kernel keeps an output's value only while the line is requested, so a
/// request is held for the life of the process and an output's first value is
/// part of the request itself (never a glitch through the line's old value).
public protocol GPIOChip: AnyObject, Sendable {
    /// What the chip says about itself.
    var info: GPIOChipInfo { get }

    /// The offset of the line called `name` (such as `GPIO17`), `nil` if the
    /// chip has no line of that name.
    func lineOffset(named name: String) -> Int?

    /// Requests the line at `request.offset` as an output driven to
    /// `initiallyActive` from the moment the request is granted.
    func requestOutput(_ request: GPIOLineRequest, initiallyActive: Bool) throws(GPIOError) -> any GPIOOutputLine

    /// Requests the line at `request.offset` as an input with `bias`, watching
    /// both edges: `onEdge` is called (on a queue of the driver's) after each
    /// edge the driver sees. An edge only says "look again": callers read the
    /// level with `isActive()`, after debouncing.
    func requestInput(
        _ request: GPIOLineRequest,
        bias: PinBias,
        onEdge: @escaping @Sendable () -> Void
    ) throws(GPIOError) -> any GPIOInputLine
}

/// How a chip names itself: `gpiochip0`, `/dev/gpiochip0`, `pinctrl-bcm2711`.
public struct GPIOChipInfo: Sendable, Hashable, CustomStringConvertible {
    /// The kernel's name, such as `gpiochip0`.
    public var name: String
    /// The driver's label, such as `pinctrl-bcm2711` (Pi 4) or `pinctrl-rp1` (Pi 5).
    public var label: String
    /// The character device, such as `/dev/gpiochip0`.
    public var path: String
    /// How many lines the chip has.
    public var lineCount: Int

    /// Creates the description.
    public init(name: String, label: String, path: String, lineCount: Int) {
        self.name = name
        self.label = label
        self.path = path
        self.lineCount = lineCount
    }

    /// `gpiochip0 [pinctrl-bcm2711] (58 lines)`.
    public var description: String { "\(name) [\(label)] (\(lineCount) lines)" }
}

/// What a pin asks of its line.
public struct GPIOLineRequest: Sendable, Hashable {
    /// The line's offset on the chip.
    public var offset: Int
    /// The consumer name the kernel shows (`gpioinfo`): `perch:{pin name}`.
    public var consumer: String
    /// ON is electrically low.
    public var activeLow: Bool

    /// Creates a request.
    public init(offset: Int, consumer: String, activeLow: Bool) {
        self.offset = offset
        self.consumer = consumer
        self.activeLow = activeLow
    }
}

/// A requested output line, held until `release()`.
public protocol GPIOOutputLine: AnyObject, Sendable {
    /// Drives the line: `true` is active (ON).
    func setActive(_ active: Bool) throws(GPIOError)
    /// Reads the line back: `true` is active (ON).
    func isActive() throws(GPIOError) -> Bool
    /// Gives the line back to the kernel, which may then let it float.
    func release()
}

/// A requested input line watching both edges, held until `release()`.
public protocol GPIOInputLine: AnyObject, Sendable {
    /// Reads the line: `true` is active (ON).
    func isActive() throws(GPIOError) -> Bool
    /// Stops watching and gives the line back to the kernel.
    func release()
}
