import Dispatch
import Glibc
import Logging
import PerchCore
import Synchronization

/// A chip with 54 lines, `GPIO0`…`GPIO53` like a Raspberry Pi's, that exists
/// only in memory: `chip: simulated` (SPEC §6), for dry runs, demos and tests.
///
/// Output levels show in the log (`notice`), so a dry run can be watched.
/// Inputs are driven from outside the process through a FIFO at `controlPath`
/// (one line per change, `<line> <level>`: `GPIO27 0`, `27 high`; levels are
/// electrical), or in-process with `drive(offset:high:)`.
///
/// Like a real chip it keeps electrical levels: a request's `activeLow` turns
/// them into logical values. An input nobody drives rests at its bias.
public final class SimulatedChip: GPIOChip {
    /// The chip name that `gpio.chip` selects it by, and its `info.name`.
    public static let chipName = "simulated"
    /// How many lines it has: as many as a Pi's main GPIO bank.
    public static let lineCount = 54

    /// `simulated [perch-simulated]`, with the control path as its path.
    public let info: GPIOChipInfo

    private let lines: Mutex<Lines>
    private let queue: DispatchQueue
    private let control: SimulatedControlFIFO?
    private let logger: Logger

    private struct Lines: Sendable {
        var states = [SimulatedLineState](repeating: SimulatedLineState(), count: SimulatedChip.lineCount)
        var nextRequestID: UInt64 = 0
    }

    /// Creates the chip; with a `controlPath`, makes the control FIFO there
    /// (mode 0660, replacing a FIFO left by an earlier run) and starts reading it.
    ///
    /// - Throws: `GPIOError` when the FIFO cannot be made, or when a file that
    ///   is not a FIFO is in its place (it is never replaced).
    public init(controlPath: String?, logger: Logger) throws(GPIOError) {
        let queue = DispatchQueue(label: "perch.gpio.simulated")
        self.info = GPIOChipInfo(name: Self.chipName, label: "perch-simulated", path: controlPath ?? "", lineCount: Self.lineCount)
        self.lines = Mutex(Lines())
        self.queue = queue
        self.logger = logger
        if let controlPath {
            do {
                self.control = try SimulatedControlFIFO(path: controlPath, queue: queue)
            } catch {
                logger.error("cannot make the simulated chip's control FIFO", metadata: ["path": "\(controlPath)", "error": "\(error)"])
                throw error
            }
        } else {
            self.control = nil
        }
        control?.start { [weak self] item in self?.handleControl(item) }
        if let controlPath {
            logger.info("simulated GPIO chip: drive inputs with `echo \"GPIO27 1\" > \(controlPath)`")
        }
    }

    deinit {
        control?.close()
    }

    /// Stops reading the control FIFO and removes it. Lines stay as they are.
    public func close() {
        control?.close()
    }

    // MARK: - GPIOChip

    /// `GPIOn` for n in 0…53.
    public func lineOffset(named name: String) -> Int? {
        guard name.hasPrefix("GPIO"), let offset = Int(name.dropFirst(4)),
            (0..<Self.lineCount).contains(offset), name == Self.lineName(offset)
        else { return nil }
        return offset
    }

    /// Requests an output at `initiallyActive` and logs its level.
    public func requestOutput(_ request: GPIOLineRequest, initiallyActive: Bool) throws(GPIOError) -> any GPIOOutputLine {
        let id = try lines.withLock { lines throws(GPIOError) -> UInt64 in
            let id = try Self.claim(&lines, request, direction: .output)
            lines.states[request.offset].isHigh = initiallyActive != request.activeLow
            return id
        }
        logLevel(offset: request.offset, consumer: request.consumer, active: initiallyActive, activeLow: request.activeLow)
        return SimulatedLine(chip: self, offset: request.offset, requestID: id)
    }

    /// Requests an input; it rests at `bias` unless something outside drove it.
    public func requestInput(
        _ request: GPIOLineRequest,
        bias: PinBias,
        onEdge: @escaping @Sendable () -> Void
    ) throws(GPIOError) -> any GPIOInputLine {
        let id = try lines.withLock { lines throws(GPIOError) -> UInt64 in
            let id = try Self.claim(&lines, request, direction: .input(bias: bias, onEdge: onEdge))
            if !lines.states[request.offset].isDrivenFromOutside {
                lines.states[request.offset].isHigh = SimulatedLineState.restingLevel(for: bias)
            }
            return id
        }
        return SimulatedLine(chip: self, offset: request.offset, requestID: id)
    }

    // MARK: - Test and demo hooks

    /// Drives the line at `offset` from outside, as a wire would: the same as a
    /// line written to the control FIFO. A requested input whose level changes
    /// gets its `onEdge` call on the chip's queue; an output is not moved.
    public func drive(offset: Int, high: Bool) {
        enum Outcome { case outOfRange, isOutput(String), unchanged, changed(LineWatch?) }
        let outcome: Outcome = lines.withLock { lines in
            guard lines.states.indices.contains(offset) else { return .outOfRange }
            if let request = lines.states[offset].request, request.isOutput { return .isOutput(request.consumer) }
            lines.states[offset].isDrivenFromOutside = true
            guard lines.states[offset].isHigh != high else { return .unchanged }
            lines.states[offset].isHigh = high
            return .changed(lines.states[offset].request.map { LineWatch(id: $0.id, consumer: $0.consumer) })
        }
        switch outcome {
        case .outOfRange:
            logger.warning("simulated GPIO chip has no line \(offset); drive ignored")
        case let .isOutput(consumer):
            logger.warning("simulated \(Self.lineName(offset)) is an output (\(consumer)); drive ignored")
        case .unchanged:
            logger.debug("simulated \(Self.lineName(offset)) already \(Self.levelWord(high))")
        case let .changed(watch):
            logger.info("simulated \(Self.lineName(offset))\(watch.map { " (\($0.consumer))" } ?? "") driven \(Self.levelWord(high))")
            if let watch { deliverEdge(offset: offset, requestID: watch.id) }
        }
    }

    /// The electrical level of the line at `offset` (`true` is high); `nil` if
    /// the chip has no such line.
    public func level(offset: Int) -> Bool? {
        lines.withLock { lines in
            lines.states.indices.contains(offset) ? lines.states[offset].isHigh : nil
        }
    }

    // MARK: - Line handles

    func setActive(_ active: Bool, offset: Int, requestID: UInt64) throws(GPIOError) {
        let request = try lines.withLock { lines throws(GPIOError) -> SimulatedLineRequest in
            let request = try Self.held(lines, offset: offset, requestID: requestID)
            // The kernel refuses to set a line requested as an input (EPERM).
            guard case .output = request.direction else {
                throw GPIOError(.failed, chip: SimulatedChip.chipName, line: "GPIO\(offset)", errno: EPERM)
            }
            lines.states[offset].isHigh = active != request.activeLow
            return request
        }
        logLevel(offset: offset, consumer: request.consumer, active: active, activeLow: request.activeLow)
    }

    func isActive(offset: Int, requestID: UInt64) throws(GPIOError) -> Bool {
        try lines.withLock { lines throws(GPIOError) -> Bool in
            let request = try Self.held(lines, offset: offset, requestID: requestID)
            return lines.states[offset].isHigh != request.activeLow
        }
    }

    func release(offset: Int, requestID: UInt64) {
        lines.withLock { lines in
            guard lines.states.indices.contains(offset), lines.states[offset].request?.id == requestID else { return }
            lines.states[offset].request = nil
        }
    }

    // MARK: - Private

    /// Who to tell about an edge, taken under the lock and used outside it.
    private struct LineWatch: Sendable {
        var id: UInt64
        var consumer: String
    }

    private static func claim(
        _ lines: inout Lines, _ request: GPIOLineRequest, direction: SimulatedLineRequest.Direction
    ) throws(GPIOError) -> UInt64 {
        guard lines.states.indices.contains(request.offset) else {
            throw GPIOError(.lineNotFound, chip: chipName, line: String(request.offset))
        }
        if lines.states[request.offset].request != nil {
            throw GPIOError(.lineBusy, chip: chipName, line: lineName(request.offset), errno: EBUSY)
        }
        lines.nextRequestID += 1
        lines.states[request.offset].request = SimulatedLineRequest(
            id: lines.nextRequestID, consumer: request.consumer, activeLow: request.activeLow, direction: direction)
        return lines.nextRequestID
    }

    /// The request behind a handle, as long as the handle has not been released.
    private static func held(_ lines: Lines, offset: Int, requestID: UInt64) throws(GPIOError) -> SimulatedLineRequest {
        guard lines.states.indices.contains(offset), let request = lines.states[offset].request, request.id == requestID else {
            // A released handle, like a closed libgpiod request: the descriptor is gone.
            throw GPIOError(.failed, chip: chipName, line: lineName(offset), errno: EBADF)
        }
        return request
    }

    /// Calls the input's `onEdge` on the queue, unless it was released meanwhile.
    private func deliverEdge(offset: Int, requestID: UInt64) {
        queue.async { [weak self] in
            guard let self else { return }
            let onEdge: (@Sendable () -> Void)? = self.lines.withLock { lines in
                guard let request = lines.states[offset].request, request.id == requestID,
                    case let .input(_, onEdge) = request.direction
                else { return nil }
                return onEdge
            }
            onEdge?()
        }
    }

    private func handleControl(_ item: SimulatedControlFIFO.Item) {
        switch item {
        case .overlong:
            logger.warning("ignored a line longer than \(ControlLineBuffer.defaultMaximumLength) bytes on the simulated chip's control FIFO", metadata: ["path": "\(info.path)"])
        case let .line(text):
            guard !text.allSatisfy(\.isWhitespace) else { return }
            do {
                let command = try SimulatedControlCommand.parse(Substring(text))
                drive(offset: command.offset, high: command.isHigh)
            } catch {
                logger.warning(
                    "ignored a line on the simulated chip's control FIFO: \(error)",
                    metadata: ["path": "\(info.path)", "line": "\(text)"])
            }
        }
    }

    private func logLevel(offset: Int, consumer: String, active: Bool, activeLow: Bool) {
        let high = active != activeLow
        logger.notice("simulated \(Self.lineName(offset)) (\(consumer)) → \(Self.levelWord(high)) (\(active ? "ON" : "OFF"))")
    }

    private static func lineName(_ offset: Int) -> String { "GPIO\(offset)" }

    private static func levelWord(_ high: Bool) -> String { high ? "high" : "low" }
}
