/// A token bucket per pin, kept as the generic cell rate algorithm: one instant
/// (when the bucket will be full again) instead of a token count and a refill
/// time, so that refill is exact in `Duration` arithmetic with no rounding.
struct CommandRateLimiter<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// When the bucket is full again; `nil` while it has never been drawn from.
    private var fullAt: Instant?

    /// Takes a token at `now`: `true` when there was one.
    mutating func take(now: Instant, limits: GPIOLimits) -> Bool {
        let interval = limits.refillInterval
        let start = fullAt.map { max($0, now) } ?? now
        let next = start.advanced(by: interval)
        // The bucket holds `burst` tokens: the debt may reach `burst` intervals.
        guard now.duration(to: next) <= interval * limits.effectiveBurst else { return false }
        fullAt = next
        return true
    }
}
