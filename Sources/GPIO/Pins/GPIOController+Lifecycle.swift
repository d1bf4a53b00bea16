/// Start and stop (SPEC §6: `initial`, `on_exit`; inputs publish at start).
extension GPIOController {
    /// Starts: every output is driven to its initial value (which the request
    /// already set, so the line does not move) so that it is read back and its
    /// state published; every input is read once, and published. Runs once.
    public mutating func start(now: Instant, actions: inout [GPIOAction]) {
        guard !isStarted, !isStopped else { return }
        isStarted = true
        for index in outputs.indices {
            outputs[index].pendingSave = nil
            actions.append(.drive(pin: outputs[index].pin.name, active: outputs[index].initialValue))
        }
        for input in inputs {
            actions.append(.read(pin: input.pin.name))
        }
    }

    /// Perch stops: each output does its `on_exit` (`keep`: nothing; `initial`:
    /// back to its initial value; `off`: off). A running pulse is cancelled; on
    /// a `keep` pin it is cut short (driven off), since a pulse asked for ON
    /// only for a while and the line would otherwise stay on after Perch.
    /// Commands, edges and timers are ignored from then on; read-backs of these
    /// last drives are still published, and never saved (they are no commands).
    public mutating func stop(actions: inout [GPIOAction]) {
        guard !isStopped else { return }
        isStopped = true
        for index in outputs.indices {
            let drive = exitDrive(ofOutput: index)
            outputs[index].pulseEnd = nil
            // Not a command: nothing to save for `initial: restore`.
            outputs[index].pendingSave = nil
            if let drive { actions.append(drive) }
        }
        for index in inputs.indices {
            inputs[index].debounceEnd = nil
        }
    }

    /// What `on_exit` does to the output at `index` when Perch lets go of it:
    /// `keep` leaves it (a pulse still running ends off), `initial` and `off`
    /// drive it.
    func exitDrive(ofOutput index: Int) -> GPIOAction? {
        let name = outputs[index].pin.name
        switch outputs[index].pin.onExit {
        case .keep: return outputs[index].pulseEnd != nil ? .drive(pin: name, active: false) : nil
        case .initial: return .drive(pin: name, active: outputs[index].initialValue)
        case .off: return .drive(pin: name, active: false)
        }
    }
}
