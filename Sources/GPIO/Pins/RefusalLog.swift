/// Decides which refusals are logged: the first of a burst per pin and kind,
/// then nothing until the kind has been quiet for the limits' quiet period.
struct RefusalLog<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    private struct Key: Hashable {
        /// The pin, or `nil` for unknown pins: those are keyed on the kind
        /// alone, so that names made up by a peer cannot grow this table.
        var pin: String?
        var kind: GPIORefusal.Kind
    }

    /// When each kind of refusal was last seen.
    private var lastSeen: [Key: Instant] = [:]

    /// Notes a refusal at `now`: `true` when it starts a burst and is to be logged.
    mutating func note(pin: String?, kind: GPIORefusal.Kind, now: Instant, quietPeriod: Duration) -> Bool {
        let key = Key(pin: pin, kind: kind)
        let previous = lastSeen.updateValue(now, forKey: key)
        guard let previous else { return true }
        return previous.duration(to: now) >= quietPeriod
    }
}
