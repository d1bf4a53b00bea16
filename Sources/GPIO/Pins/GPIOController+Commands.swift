/// Commands on `/set` topics and what becomes of them (SPEC §6).
extension GPIOController {
    /// A message on the `/set` topic of pin `name`. An unknown pin, an input, a
    /// payload that is no command, or a command past the pin's rate limit is
    /// refused (`.refuse`, counted in `refusedCount`; `log` only for the first
    /// refusal of a burst per pin and kind, unknown pins sharing one burst, until
    /// `limits.refusalLogQuietPeriod` passes without one). Otherwise the output
    /// is driven; a new command always cancels a running pulse's end.
    public mutating func command(pin name: String, payload: some Collection<UInt8>, now: Instant, actions: inout [GPIOAction]) {
        guard !isStopped else { return }
        guard let place = indexByName[name] else {
            return refuse(pin: name, .unknownPin, now: now, &actions)
        }
        guard case let .output(index) = place else {
            return refuse(pin: name, .notAnOutput, now: now, &actions)
        }
        let command: GPIOCommand
        switch GPIOCommand.parse(payload) {
        case let .success(parsed): command = parsed
        case let .failure(error): return refuse(pin: name, .invalidPayload(error), now: now, &actions)
        }
        // Only commands that would move the line cost a token: bad payloads
        // never reach the hardware, and are refused without one.
        guard outputs[index].rateLimiter.take(now: now, limits: limits) else {
            return refuse(pin: name, .rateLimited, now: now, &actions)
        }
        execute(command, output: index, now: now, &actions)
    }

    /// The runtime drove output `name` and read it back: the read-back level is
    /// published, retained, and the commanded state saved for `initial: restore`.
    public mutating func outputDriven(pin name: String, readBack: Bool, now: Instant, actions: inout [GPIOAction]) {
        guard case let .output(index) = indexByName[name] else { return }
        outputs[index].readBack = readBack
        actions.append(.publishState(pin: name, active: readBack))
        if let commanded = outputs[index].pendingSave {
            outputs[index].pendingSave = nil
            if outputs[index].savesState { actions.append(.saveState(pin: name, active: commanded)) }
        }
    }

    private mutating func execute(_ command: GPIOCommand, output index: Int, now: Instant, _ actions: inout [GPIOAction]) {
        outputs[index].pulseEnd = nil
        let target: Bool
        // The state that lasts, saved for `initial: restore`.
        let commanded: Bool
        switch command {
        case let .set(value):
            target = value
            commanded = value
        case .toggle:
            // The line as last read back: what it is, not what was last asked.
            target = !(outputs[index].readBack ?? outputs[index].initialValue)
            commanded = target
        case let .pulse(duration):
            target = true
            // A pulse ends off: a restart during one must not leave the pin on.
            commanded = false
            outputs[index].pulseEnd = now.advanced(by: duration)
        }
        outputs[index].pendingSave = commanded
        actions.append(.drive(pin: outputs[index].pin.name, active: target))
    }

    /// Counts a refusal and asks for it to be logged if it starts a burst.
    mutating func refuse(pin name: String, _ reason: GPIORefusal, now: Instant, _ actions: inout [GPIOAction]) {
        refusedCount &+= 1
        let logKeyPin = reason == .unknownPin ? nil : name
        let log = refusalLog.note(pin: logKeyPin, kind: reason.kind, now: now, quietPeriod: limits.refusalLogQuietPeriod)
        actions.append(.refuse(pin: name, reason: reason, log: log))
    }
}
