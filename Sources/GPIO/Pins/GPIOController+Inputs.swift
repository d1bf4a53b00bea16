/// Inputs: edges, software debounce (the same on libgpiod 1.6, which has none
/// in the kernel, and 2.x: Docs/gpio.md) and
/// publishing on every debounced change (SPEC §6).
extension GPIOController {
    /// The driver saw an edge on input `name`: the debounce window (re)starts,
    /// so the line is read only once it has been quiet for `debounce`; with no
    /// debounce it is read at once.
    public mutating func inputEdge(pin name: String, now: Instant, actions: inout [GPIOAction]) {
        guard !isStopped, case let .input(index) = indexByName[name] else { return }
        let debounce = inputs[index].pin.debounce
        if debounce <= .zero {
            inputs[index].debounceEnd = nil
            actions.append(.read(pin: name))
        } else {
            inputs[index].debounceEnd = now.advanced(by: debounce)
        }
    }

    /// The runtime read input `name`: its state is published, retained, when it
    /// differs from the last one published (always for the first read).
    public mutating func inputRead(pin name: String, active: Bool, now: Instant, actions: inout [GPIOAction]) {
        guard case let .input(index) = indexByName[name] else { return }
        guard inputs[index].published != active else { return }
        inputs[index].published = active
        actions.append(.publishState(pin: name, active: active))
    }
}
