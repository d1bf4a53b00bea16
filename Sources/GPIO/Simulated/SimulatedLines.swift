/// An output line of a `SimulatedChip`; holds the line until `release()`.
final class SimulatedOutputLine: GPIOOutputLine {
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

/// An input line of a `SimulatedChip`; holds the line until `release()`.
final class SimulatedInputLine: GPIOInputLine {
    private let chip: SimulatedChip
    private let offset: Int
    private let requestID: UInt64

    init(chip: SimulatedChip, offset: Int, requestID: UInt64) {
        self.chip = chip
        self.offset = offset
        self.requestID = requestID
    }

    func isActive() throws(GPIOError) -> Bool {
        try chip.isActive(offset: offset, requestID: requestID)
    }

    func release() {
        chip.release(offset: offset, requestID: requestID)
    }
}
