/// Pulse ends and debounce windows.
extension GPIOController {
    /// Handles every deadline due at `now` (a deadline equal to `now` is due),
    /// earliest first: a pulse's end drives its pin off, a closed debounce
    /// window reads its input.
    public mutating func expireTimers(now: Instant, actions: inout [GPIOAction]) {
        guard !isStopped else { return }
        var due: [(deadline: Instant, pin: PinIndex)] = []
        for index in outputs.indices {
            if let end = outputs[index].pulseEnd, end <= now { due.append((end, .output(index))) }
        }
        for index in inputs.indices {
            if let end = inputs[index].debounceEnd, end <= now { due.append((end, .input(index))) }
        }
        // Stable: equal deadlines keep configuration order, outputs first.
        let ordered = due.enumerated().sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }
        for (_, entry) in ordered {
            switch entry.pin {
            case let .output(index):
                outputs[index].pulseEnd = nil
                // The pulse's lasting state (off) was saved when it started.
                outputs[index].pendingSave = nil
                actions.append(.drive(pin: outputs[index].pin.name, active: false))
            case let .input(index):
                inputs[index].debounceEnd = nil
                actions.append(.read(pin: inputs[index].pin.name))
            }
        }
    }
}
