/// The safety limits of the pin logic (issue 6: commands rate-limited per pin,
/// refusals logged once per burst).
public struct GPIOLimits: Sendable, Hashable {
    /// How many commands a pin takes back to back before the rate limit bites.
    /// Default: 10.
    public var commandBurst: Int
    /// How many commands per second a pin takes after a burst: the token
    /// bucket's refill rate. Default: 5.
    public var commandsPerSecond: Int
    /// How long refusals of one kind for one pin must stop before the next one
    /// is logged again. Default: 10 s.
    public var refusalLogQuietPeriod: Duration

    /// Creates the limits; values below 1 (or a negative period) count as the least.
    public init(commandBurst: Int = 10, commandsPerSecond: Int = 5, refusalLogQuietPeriod: Duration = .seconds(10)) {
        self.commandBurst = commandBurst
        self.commandsPerSecond = commandsPerSecond
        self.refusalLogQuietPeriod = refusalLogQuietPeriod
    }

    /// The time one token takes to come back.
    var refillInterval: Duration { .seconds(1) / max(commandsPerSecond, 1) }
    /// `commandBurst`, at least 1 so that a pin can be commanded at all.
    var effectiveBurst: Int { max(commandBurst, 1) }
}
