/// A line of a `SimulatedChip`, output or input (the chip knows which and
/// refuses to drive an input); holds the line until `release()`.
final class SimulatedLine: GPIOOutputLine, GPIOInputLine {
    private let chip: SimulatedChip
    private let offset: Int
    private let requestID: UInt64

    init(chip: SimulatedChip, offset: Int, requestID: UInt64) {
        self.chip = chip
        self.offset = offset
        self.requestID = requestID
    }

    func setActive(_ active: Bool) throws(GPIOError) {
        try chip.setActive(active, offset: offset, requestID: requestID)
    }

    func isActive() throws(GPIOError) -> Bool {
        try chip.isActive(offset: offset, requestID: requestID)
    }

    func release() {
        chip.release(offset: offset, requestID: requestID)
    }
}
