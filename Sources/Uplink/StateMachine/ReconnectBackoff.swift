/// Exponential back-off with jitter between connection attempts.
///
/// The n-th consecutive failure (counting from 0) waits a random time in
/// `[ceiling / 2, ceiling]`, where `ceiling = minimum × 2ⁿ` capped at `maximum`,
/// and never less than `minimum`. Randomising the wait spreads out a fleet of
/// gateways that lost the broker at the same moment; keeping half the ceiling
/// makes the growth visible. A connection that stayed up resets the count.
struct ReconnectBackoff: Sendable {
    let minimum: Duration
    let maximum: Duration
    /// Consecutive failed attempts since the last reset.
    private(set) var attempt: Int = 0

    init(minimum: Duration, maximum: Duration) {
        self.minimum = max(minimum, .zero)
        self.maximum = max(self.minimum, maximum)
    }

    init(_ configuration: Uplink.Configuration.Reconnect) {
        self.init(minimum: configuration.minimum, maximum: configuration.maximum)
    }

    /// The upper bound of the wait for the current attempt.
    var ceiling: Duration {
        var value = minimum
        var step = 0
        // Doubling stops at the maximum, so this loop never overflows.
        while step < attempt, value < maximum {
            value = value * 2
            step += 1
        }
        return min(value, maximum)
    }

    /// The wait before the next attempt; advances the back-off.
    mutating func nextDelay<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Duration {
        let upper = ceiling
        attempt += 1
        let upperNanoseconds = upper.timeAmount.nanoseconds
        let lowerNanoseconds = max(upperNanoseconds / 2, minimum.timeAmount.nanoseconds)
        guard upperNanoseconds > lowerNanoseconds else { return upper }
        return .nanoseconds(Int64.random(in: lowerNanoseconds...upperNanoseconds, using: &generator))
    }

    /// Starts again from `minimum`, after a connection that stayed up.
    mutating func reset() {
        attempt = 0
    }
}
