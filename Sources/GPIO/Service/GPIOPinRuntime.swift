import Dispatch
import Logging
import NIOCore
import PerchCore

/// The pins at run time: the pure `GPIOController` and the lines it moves,
/// confined to one event loop (reached through `NIOLoopBoundBox` only).
///
/// Every event — a command, an edge, a timer — runs the controller, then
/// carries out its actions here until none is left: a `.drive` sets the line
/// and reads it back, which the controller turns into a retained state
/// message, and so on.
final class GPIOPinRuntime {
    private var configuration: GPIOService.Configuration
    private let upstream: any GPIOUpstream
    private let stateFile: PinStateFile
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let publishStatus: (GPIOStatus) -> Void
    private let saveQueue = DispatchQueue(label: "perch.gpio.state-file")

    private var controller: GPIOController<ContinuousClock.Instant>
    private var outputs: [String: any GPIOOutputLine] = [:]
    private var inputs: [String: any GPIOInputLine] = [:]
    private var chipDescription: String?
    /// The open chip and where its edges go, for pins added by a reload.
    private var chip: (any GPIOChip)?
    private var onEdge: (@Sendable (String) -> Void)?
    private var errors: [String] = []
    /// The commanded states of `restore` pins, written whole on each change.
    private var savedStates: [String: Bool]
    private var timer: Scheduled<Void>?
    private var timerDeadline: ContinuousClock.Instant?
    private var isStopped = false

    init(
        configuration: GPIOService.Configuration,
        restored: [String: Bool],
        upstream: any GPIOUpstream,
        eventLoop: any EventLoop,
        logger: Logger,
        publishStatus: @escaping (GPIOStatus) -> Void
    ) {
        self.configuration = configuration
        self.upstream = upstream
        self.stateFile = PinStateFile(path: configuration.stateFilePath)
        self.eventLoop = eventLoop
        self.logger = logger
        self.publishStatus = publishStatus
        self.savedStates = restored
        self.controller = GPIOController(pins: configuration.pins, restored: restored, limits: configuration.limits)
    }

    // MARK: Start and stop

    /// Requests every configured line and starts the controller. A line that
    /// cannot be had is reported and left out; the other pins work.
    func start(chip: any GPIOChip, onEdge: @escaping @Sendable (String) -> Void) {
        chipDescription = chip.info.description
        self.chip = chip
        self.onEdge = onEdge
        for pin in configuration.pins {
            request(pin, on: chip, initiallyActive: controller.initialValue(ofOutput: pin.name) ?? false, onEdge: onEdge)
        }
        logger.info("GPIO pins ready", metadata: [
            "chip": "\(chip.info)", "outputs": "\(outputs.count)", "inputs": "\(inputs.count)",
        ])
        run { controller, now, actions in controller.start(now: now, actions: &actions) }
    }

    /// Requests `pin`'s line; a line that cannot be had is reported and left out.
    private func request(_ pin: GPIOPin, on chip: any GPIOChip, initiallyActive: Bool, onEdge: @escaping @Sendable (String) -> Void) {
        do throws(GPIOError) {
            let request = GPIOLineRequest(
                offset: try offset(of: pin, on: chip),
                consumer: "perch:\(pin.name)",
                activeLow: pin.activeLow
            )
            switch pin.direction {
            case .output:
                outputs[pin.name] = try chip.requestOutput(request, initiallyActive: initiallyActive)
            case .input:
                let name = pin.name
                inputs[name] = try chip.requestInput(request, bias: pin.bias) { onEdge(name) }
            }
        } catch {
            report(error: "pin \(pin.name): \(error)")
        }
    }

    /// A new pin list (`systemctl reload`): pins whose line settings are
    /// unchanged keep their requests and levels; a pin gone, or whose line,
    /// direction, `active_low` or `bias` changed, goes to its `on_exit` state
    /// and is let go (a pin gone for good has its retained state cleared);
    /// new and changed pins are requested and start as at a start. Returns
    /// what changed.
    @discardableResult
    func reconfigure(pins: [GPIOPin]) -> GPIOController<ContinuousClock.Instant>.PinChanges {
        guard !isStopped else { return .init() }
        let changes = controller.changes(to: pins)
        guard !changes.isEmpty else { return changes }
        run { controller, _, actions in controller.release(changes.released, actions: &actions) }
        let requestedNames = Set(changes.requested.map(\.name))
        for pin in changes.released {
            outputs.removeValue(forKey: pin.name)?.release()
            inputs.removeValue(forKey: pin.name)?.release()
            if !requestedNames.contains(pin.name) {
                // An empty retained message removes the retained state (MQTT 5.0 §3.3.1.3).
                upstream.publish(Message(topic: configuration.stateTopic(ofPin: pin.name), payload: ByteBuffer(), qos: .atLeastOnce, retain: true))
            }
        }
        controller.update(changes.updated, restored: savedStates)
        configuration.pins = pins
        if let chip, let onEdge {
            for pin in changes.requested {
                let initial = OutputPinState<ContinuousClock.Instant>(pin: pin, restored: savedStates[pin.name]).initialValue
                request(pin, on: chip, initiallyActive: initial, onEdge: onEdge)
            }
        }
        run { [savedStates] controller, _, actions in controller.add(changes.requested, restored: savedStates, actions: &actions) }
        logger.notice("GPIO pins reconfigured", metadata: [
            "released": "\(changes.released.map(\.name))", "requested": "\(changes.requested.map(\.name))",
            "updated": "\(changes.updated.map(\.name))",
        ])
        return changes
    }

    /// The chip could not be opened: nothing runs, the status says why.
    func failed(_ error: GPIOError) {
        report(error: "\(error)")
        publishStatus(status)
    }

    /// Each output goes to its `on_exit` state; then every line is let go.
    func stop() {
        guard !isStopped else { return }
        run { controller, _, actions in controller.stop(actions: &actions) }
        isStopped = true
        timer?.cancel()
        timer = nil
        for line in inputs.values { line.release() }
        inputs.removeAll()
        // The last restore state is on disk before perchd exits.
        saveQueue.sync {}
        // Outputs are released with the process: a line let go earlier may be
        // reset by the kernel before perchd has exited (`on_exit: keep`).
    }

    // MARK: Events

    func command(pin name: String, payload: ByteBuffer) {
        guard !isStopped else { return }
        run { controller, now, actions in
            controller.command(pin: name, payload: payload.readableBytesView, now: now, actions: &actions)
        }
    }

    func edge(pin name: String) {
        guard !isStopped else { return }
        run { controller, now, actions in controller.inputEdge(pin: name, now: now, actions: &actions) }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard !isStopped else { return }
        run { controller, now, actions in controller.expireTimers(now: now, actions: &actions) }
    }

    // MARK: Carrying out actions

    private func run(_ event: (inout GPIOController<ContinuousClock.Instant>, ContinuousClock.Instant, inout [GPIOAction]) -> Void) {
        var actions: [GPIOAction] = []
        event(&controller, .now, &actions)
        // Actions may produce actions (a drive's read-back publishes); bounded
        // because each drive or read yields only publishes and saves.
        var index = 0
        while index < actions.count {
            let action = actions[index]
            index += 1
            perform(action, into: &actions)
        }
        rescheduleTimer()
        publishStatus(status)
    }

    private func perform(_ action: GPIOAction, into actions: inout [GPIOAction]) {
        switch action {
        case let .drive(pin, active):
            guard let line = outputs[pin] else { return }
            do throws(GPIOError) {
                try line.setActive(active)
                let readBack = try line.isActive()
                controller.outputDriven(pin: pin, readBack: readBack, now: .now, actions: &actions)
            } catch {
                report(error: "pin \(pin): \(error)")
            }
        case let .read(pin):
            guard let line = inputs[pin] else { return }
            do throws(GPIOError) {
                let active = try line.isActive()
                controller.inputRead(pin: pin, active: active, now: .now, actions: &actions)
            } catch {
                report(error: "pin \(pin): \(error)")
            }
        case let .publishState(pin, active):
            // SPEC §2: retained ON / OFF on …/gpio/{name}/state.
            upstream.publish(Message(
                topic: configuration.stateTopic(ofPin: pin),
                text: active ? "ON" : "OFF",
                qos: .atLeastOnce,
                retain: true
            ))
        case let .saveState(pin, active):
            savedStates[pin] = active
            save()
        case let .refuse(pin, reason, log):
            if log {
                logger.warning("GPIO command refused (further ones like it are counted, not logged, until they stop for a while)", metadata: [
                    "pin": "\(pin)", "reason": "\(reason)",
                ])
            }
        }
    }

    /// Writes the restore states off the loop (an fsync on an SD card can take
    /// tens of milliseconds), in order. A failure is logged, never fatal: the
    /// pin has moved, only its memory across a restart is at risk.
    private func save() {
        let snapshot = savedStates
        let file = stateFile
        let logger = logger
        saveQueue.async {
            do {
                try file.save(snapshot)
            } catch {
                logger.error("GPIO: cannot save the pin states for `initial: restore`", metadata: ["error": "\(error)"])
            }
        }
    }

    private func rescheduleTimer() {
        let next = isStopped ? nil : controller.nextDeadline
        guard next != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = next
        guard let next else { return }
        let delay = ContinuousClock.now.duration(to: next)
        let nanoseconds = max(0, delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000)
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { [self] in timerFired() }
    }

    // MARK: Status

    var status: GPIOStatus {
        GPIOStatus(
            pins: controller.states,
            chip: chipDescription,
            error: errors.last,
            refused: controller.refusedCount
        )
    }

    private func report(error: String) {
        logger.error("GPIO: \(error)")
        errors.append(error)
        if errors.count > 8 { errors.removeFirst() }
    }

    private func offset(of pin: GPIOPin, on chip: any GPIOChip) throws(GPIOError) -> Int {
        switch pin.line {
        case let .offset(offset):
            guard offset < chip.info.lineCount else {
                throw GPIOError(.lineNotFound, chip: configuration.chip, line: pin.line.description)
            }
            return offset
        case let .name(name):
            guard let offset = chip.lineOffset(named: name) else {
                throw GPIOError(.lineNotFound, chip: configuration.chip, line: name)
            }
            return offset
        }
    }
}
