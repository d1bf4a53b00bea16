/// An output line requested through libgpiod, held until `release()` or
/// until nothing refers to it any more.
final class LibGPIODOutputLine: GPIOOutputLine {
    /// The chip, kept alive while the line is.
    private let chip: LibGPIODChip
    /// The request's id on the chip.
    private let id: UInt64
    /// The line's offset, for errors.
    private let offset: Int

    /// Wraps request `id` of `chip`.
    init(chip: LibGPIODChip, id: UInt64, offset: Int) {
        self.chip = chip
        self.id = id
        self.offset = offset
    }

    deinit {
        release()
    }

    func setActive(_ active: Bool) throws(GPIOError) {
        try chip.setActive(active, line: id, offset: offset)
    }

    func isActive() throws(GPIOError) -> Bool {
        try chip.isActive(line: id, offset: offset)
    }

    func release() {
        chip.releaseLine(id)
    }
}
