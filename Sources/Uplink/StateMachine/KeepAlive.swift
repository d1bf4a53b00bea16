import NIOCore

/// Keep-alive deadlines of one connection (MQTT 5.0 §3.1.2.10, 3.1.1 §3.1.2.10).
///
/// The client sends PINGREQ when it has sent nothing for the keep-alive
/// period, and also when it has received nothing for that long (a client that
/// only publishes QoS 0 would otherwise never hear from a healthy broker). The
/// connection is declared dead when nothing at all arrived for 1.5 × keep-alive,
/// the same grace the broker gives the client.
struct KeepAlive: Sendable, Equatable {
    /// The period; zero disables the mechanism.
    let interval: TimeAmount
    private(set) var lastSent: NIODeadline
    private(set) var lastReceived: NIODeadline
    private(set) var isPingOutstanding = false

    /// What the keep-alive wants done when its deadline passes.
    enum Decision: Equatable {
        case nothing
        case sendPing
        case declareDead
    }

    init(interval: TimeAmount, now: NIODeadline) {
        self.interval = interval
        self.lastSent = now
        self.lastReceived = now
    }

    var isEnabled: Bool { interval > .zero }

    private var deadTimeout: TimeAmount { .nanoseconds(interval.nanoseconds + interval.nanoseconds / 2) }

    mutating func didSend(at now: NIODeadline) {
        lastSent = max(lastSent, now)
    }

    mutating func didReceive(at now: NIODeadline) {
        lastReceived = max(lastReceived, now)
        isPingOutstanding = false
    }

    /// The earliest moment at which `decide(now:)` would return something.
    var nextDeadline: NIODeadline? {
        guard isEnabled else { return nil }
        var deadline = min(lastSent + interval, lastReceived + deadTimeout)
        if !isPingOutstanding {
            deadline = min(deadline, lastReceived + interval)
        }
        return deadline
    }

    /// What to do at `now`; records the PINGREQ it asks for.
    mutating func decide(now: NIODeadline) -> Decision {
        guard isEnabled else { return .nothing }
        if now >= lastReceived + deadTimeout {
            return .declareDead
        }
        let silentOutbound = now >= lastSent + interval
        let silentInbound = !isPingOutstanding && now >= lastReceived + interval
        guard silentOutbound || silentInbound else { return .nothing }
        isPingOutstanding = true
        lastSent = now
        return .sendPing
    }
}
