import PerchCore

/// A new `gpio.pins` list while Perch runs (`systemctl reload`, SPEC §8).
extension GPIOController {
    /// How a new pin list differs from the running one, by pin name.
    public struct PinChanges: Sendable, Equatable {
        /// Pins no longer configured, or whose line must be requested again
        /// (another line, direction, `active_low` or `bias`).
        public var released: [GPIOPin] = []
        /// Pins to request: new ones, and the re-requested ones in their new form.
        public var requested: [GPIOPin] = []
        /// Pins whose line stays held while `debounce`, `initial` or
        /// `on_exit` change.
        public var updated: [GPIOPin] = []

        /// Nothing to do.
        public var isEmpty: Bool { released.isEmpty && requested.isEmpty && updated.isEmpty }
    }

    /// What moving from the running pins to `pins` takes. A pin whose line
    /// settings are unchanged keeps its request, so its level never glitches.
    public func changes(to pins: [GPIOPin]) -> PinChanges {
        var changes = PinChanges()
        var seen: Set<String> = []
        for pin in pins where seen.insert(pin.name).inserted {
            guard let old = runningPin(named: pin.name) else {
                changes.requested.append(pin)
                continue
            }
            if old == pin { continue }
            if old.line == pin.line, old.direction == pin.direction, old.activeLow == pin.activeLow, old.bias == pin.bias {
                changes.updated.append(pin)
            } else {
                changes.released.append(old)
                changes.requested.append(pin)
            }
        }
        for name in indexByName.keys.sorted() where !seen.contains(name) {
            if let old = runningPin(named: name) { changes.released.append(old) }
        }
        return changes
    }

    /// Lets go of `pins`: each output goes to its `on_exit` state first, as at
    /// a stop (`keep` leaves it, a pulse still running ends off), then the pin
    /// is forgotten and refused like any unknown pin. The caller releases the
    /// lines after carrying out the actions.
    public mutating func release(_ pins: [GPIOPin], actions: inout [GPIOAction]) {
        let names = Set(pins.map(\.name))
        for index in outputs.indices where names.contains(outputs[index].pin.name) {
            if let drive = exitDrive(ofOutput: index) { actions.append(drive) }
        }
        outputs.removeAll { names.contains($0.pin.name) }
        inputs.removeAll { names.contains($0.pin.name) }
        reindex()
    }

    /// Takes the new `debounce`, `initial` and `on_exit` of pins whose line
    /// stays held; their levels, pulses and rate limits carry on. A new
    /// `initial` matters at the next start (and for `on_exit: initial`).
    public mutating func update(_ pins: [GPIOPin], restored: [String: Bool]) {
        for pin in pins {
            switch indexByName[pin.name] {
            case let .output(index):
                var state = OutputPinState<Instant>(pin: pin, restored: restored[pin.name])
                state.readBack = outputs[index].readBack
                state.pendingSave = outputs[index].pendingSave
                state.pulseEnd = outputs[index].pulseEnd
                state.rateLimiter = outputs[index].rateLimiter
                outputs[index] = state
            case let .input(index):
                inputs[index].pin = pin
            case nil:
                continue
            }
        }
    }

    /// Adds `pins`, whose lines the caller has just requested (outputs with
    /// `initialValue(ofOutput:)` computed from `restored`); once started, each
    /// output is driven to its initial value and each input read, as at a start.
    public mutating func add(_ pins: [GPIOPin], restored: [String: Bool], actions: inout [GPIOAction]) {
        for pin in pins where indexByName[pin.name] == nil {
            switch pin.direction {
            case .output:
                indexByName[pin.name] = .output(outputs.count)
                outputs.append(OutputPinState(pin: pin, restored: restored[pin.name]))
                if isStarted, !isStopped, let state = outputs.last {
                    actions.append(.drive(pin: pin.name, active: state.initialValue))
                }
            case .input:
                indexByName[pin.name] = .input(inputs.count)
                inputs.append(InputPinState(pin: pin))
                if isStarted, !isStopped { actions.append(.read(pin: pin.name)) }
            }
        }
    }

    /// The running pin called `name`.
    func runningPin(named name: String) -> GPIOPin? {
        switch indexByName[name] {
        case let .output(index): return outputs[index].pin
        case let .input(index): return inputs[index].pin
        case nil: return nil
        }
    }

    private mutating func reindex() {
        indexByName.removeAll(keepingCapacity: true)
        for (index, output) in outputs.enumerated() { indexByName[output.pin.name] = .output(index) }
        for (index, input) in inputs.enumerated() { indexByName[input.pin.name] = .input(index) }
    }
}
