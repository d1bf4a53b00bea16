import Glibc

/// Why a chip or a line could not be used. The description names the chip, the
/// line and the likely fix, because it ends up in the log and the status of a
/// gateway somebody has to repair from a phone.
public struct GPIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// No chip matches the name, path or label.
        case chipNotFound
        /// The chip exists but this user may not open it.
        case permissionDenied
        /// The chip has no line of that name or offset.
        case lineNotFound
        /// Another process holds the line.
        case lineBusy
        /// The kernel refused a request or a read or write for another reason.
        case failed
    }

    /// What went wrong.
    public var kind: Kind
    /// The chip as configured (`gpiochip0`, a path or a label).
    public var chip: String
    /// The line as configured, when the error concerns one.
    public var line: String?
    /// The system error, when there was one.
    public var errno: Int32?
    /// What the driver found, when it helps the repair (`found gpiochip0
    /// [pinctrl-bcm2711] (58 lines)`, `/dev/null is not a GPIO chip`).
    public var detail: String?

    /// Creates an error.
    public init(_ kind: Kind, chip: String, line: String? = nil, errno: Int32? = nil, detail: String? = nil) {
        self.kind = kind
        self.chip = chip
        self.line = line
        self.errno = errno
        self.detail = detail
    }

    /// One line for the log and the status, with the likely fix.
    public var description: String {
        let system = (errno.map { ": \(String(cString: strerror($0)))" } ?? "") + (detail.map { "; \($0)" } ?? "")
        let subject = line.map { "line \($0) of GPIO chip \(chip)" } ?? "GPIO chip \(chip)"
        switch kind {
        case .chipNotFound:
            return "no GPIO chip \(chip)\(system) (give its name such as gpiochip0, its path under /dev, or its label such as pinctrl-bcm2711 on a Pi 4 or pinctrl-rp1 on a Pi 5; `gpiodetect` lists them)"
        case .permissionDenied:
            return "cannot open \(subject)\(system) (add the user perchd runs as to group gpio: `usermod -aG gpio perch`, or check DeviceAllow= in the systemd unit)"
        case .lineNotFound:
            return "GPIO chip \(chip) has no line \(line ?? "?") (`gpioinfo \(chip)` lists its line names and offsets)"
        case .lineBusy:
            return "\(subject) is in use by another program\(system) (`gpioinfo \(chip)` shows the consumer)"
        case .failed:
            return "\(subject) failed\(system)"
        }
    }
}
