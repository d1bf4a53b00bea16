import Glibc

/// The pure half of finding a chip: how `gpio.chip` names it, which entries of
/// `/dev` are chips, what an `errno` from opening one means, and how the chips
/// that were found are listed in an error. The driver does the system calls.
enum GPIOChipLookup {
    /// How a configured chip is named, decided from its spelling alone.
    enum Descriptor: Sendable, Hashable {
        /// A character device: the value starts with `/`, `./` or `../`.
        case path(String)
        /// A kernel name, `gpiochip` and a number: the device `/dev/{name}`.
        case name(String)
        /// Anything else: a driver's label such as `pinctrl-bcm2711`, found
        /// by opening every chip, since the kernel numbers chips in probe
        /// order and the Pi 5's `pinctrl-rp1` has been `gpiochip4` and `gpiochip0`.
        case label(String)
    }

    /// Classifies `descriptor`. A label may hold `/` (device tree paths do),
    /// so only a leading `/`, `./` or `../` makes a path.
    static func classify(_ descriptor: String) -> Descriptor {
        if descriptor.hasPrefix("/") || descriptor.hasPrefix("./") || descriptor.hasPrefix("../") {
            return .path(descriptor)
        }
        if isChipName(descriptor) {
            return .name(descriptor)
        }
        return .label(descriptor)
    }

    /// Whether `name` is a kernel chip name: `gpiochip` and decimal digits.
    static func isChipName(_ name: String) -> Bool {
        guard name.hasPrefix(chipNamePrefix) else { return false }
        let number = name.dropFirst(chipNamePrefix.count)
        return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The chip names among the entries of `/dev`, in the kernel's numeric
    /// order (`gpiochip2` before `gpiochip10`), as `gpiodetect` lists them.
    static func chipNames(among entries: [String]) -> [String] {
        entries
            .filter { isChipName($0) }
            .sorted { chipNumber($0) < chipNumber($1) }
    }

    /// What an `errno` from opening a chip or requesting a line means.
    static func kind(forErrno code: Int32) -> GPIOError.Kind {
        switch code {
        case ENOENT, ENODEV: .chipNotFound
        case EACCES, EPERM: .permissionDenied
        case EBUSY: .lineBusy
        default: .failed
        }
    }

    /// Whether opening a file failed because it is not a GPIO chip at all:
    /// libgpiod checks the file is a character device with a GPIO entry in
    /// sysfs, and `perch_gpiod_chip_open` answers `ENOTTY` (as the chip-info
    /// ioctl would) if not, with 1.6 and 2.x alike; a directory already fails
    /// `open` with `EISDIR`.
    static func isNotAChip(errno code: Int32) -> Bool {
        code == ENOTTY || code == EISDIR
    }

    /// One chip met while looking for a label.
    struct Candidate: Sendable, Hashable, CustomStringConvertible {
        /// The kernel name, such as `gpiochip0`.
        var name: String
        /// What opening it gave.
        var outcome: Outcome

        /// What opening a chip gave.
        enum Outcome: Sendable, Hashable {
            /// It opened and carries this label.
            case label(String)
            /// It would not open, with this `errno`.
            case failed(Int32)
        }

        /// `gpiochip0 [pinctrl-bcm2711]`, or `gpiochip1 (Permission denied)`.
        var description: String {
            switch outcome {
            case let .label(label):
                "\(name) [\(label)]"
            case let .failed(code) where isNotAChip(errno: code):
                "\(name) (not a GPIO chip)"
            case let .failed(code):
                "\(name) (\(String(cString: strerror(code))))"
            }
        }
    }

    /// The error for a label no chip carries. When a chip could not be opened
    /// for want of permission, that chip may well be the one, so the error is
    /// about permission (and names group `gpio`), not about the label.
    static func labelNotFound(_ label: String, candidates: [Candidate], directory: String) -> GPIOError {
        let denied = candidates.lazy.compactMap { candidate -> Int32? in
            guard case let .failed(code) = candidate.outcome, kind(forErrno: code) == .permissionDenied else { return nil }
            return code
        }.first
        let found = "no chip is labelled \(label); \(foundSummary(candidates, directory: directory))"
        if let denied {
            return GPIOError(.permissionDenied, chip: label, errno: denied, detail: found)
        }
        return GPIOError(.chipNotFound, chip: label, detail: found)
    }

    /// `found gpiochip0 [pinctrl-bcm2711], gpiochip1 [raspberrypi-exp-gpio]`,
    /// or `found no GPIO chip in /dev`.
    static func foundSummary(_ candidates: [Candidate], directory: String) -> String {
        if candidates.isEmpty {
            return "found no GPIO chip in \(directory)"
        }
        return "found " + candidates.map(\.description).joined(separator: ", ")
    }

    private static let chipNamePrefix = "gpiochip"

    /// The number of a chip name; names are checked by `isChipName` first, and
    /// a number too long for `Int` sorts last rather than failing.
    private static func chipNumber(_ name: String) -> Int {
        Int(name.dropFirst(chipNamePrefix.count)) ?? Int.max
    }
}
