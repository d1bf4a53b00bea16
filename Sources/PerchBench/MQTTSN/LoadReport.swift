/// What the generator did in one case.
struct LoadReport: Sendable {
    /// Distinct messages sent (first transmissions).
    var sent: Int
    /// QoS 1 retransmissions (DUP set) after `PublishLoop.retryNanoseconds` without PUBACK.
    var retransmissions: Int
    /// QoS 1 messages still unacknowledged when the generator gave up waiting.
    var unacknowledged: Int
    /// Sends that failed outright.
    var sendFailures: Int
    /// Refused acknowledgements.
    var refusals: Int
    /// `MonotonicTime` of the first send.
    var startNanoseconds: UInt64
    /// From the first send to the last first transmission.
    var sendingNanoseconds: UInt64

    /// Distinct messages per second offered.
    var sentPerSecond: Double { Double(sent) / max(Double(sendingNanoseconds) / 1e9, 1e-9) }
}
