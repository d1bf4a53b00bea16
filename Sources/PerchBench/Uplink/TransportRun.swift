import MQTTCodec
import NIOCore
import PerchCore
import Uplink

/// Pushes messages through the uplink from its own event loop, the way the
/// spool and the MQTT-SN server do, for a fixed time: either through
/// `UpstreamTransport.transmit` with at most `window` tickets unreported (the
/// spool's window), or through `send(_:)` (QoS 0, nobody waits), `window`
/// messages per event-loop turn, for comparison.
///
/// Refills happen once per event-loop turn, not from inside the report, so the
/// loop still flushes and reads between batches. The clock stops when every
/// ticket is reported; a QoS 0 run then ends with a QoS 1 barrier, whose
/// PUBACK means Mosquitto has read everything before it (one connection's
/// packets are handled in order).
struct TransportRun {
    enum Path: Sendable {
        case transmit
        case send
    }

    let uplink: Uplink
    let qos: MQTTQoS
    let path: Path
    let window: Int

    /// The messages handled and the time taken, from the first call to the last report.
    func run(for duration: Duration) async throws -> (messages: Int, elapsed: Duration) {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: UplinkCase.payloadSize)
        let message = Message(topic: "bench/perch/transport/qos\(qos.rawValue)", payload: payload, qos: qos)
        let clock = ContinuousClock()
        let start = clock.now
        let uplink = self.uplink
        let path = self.path
        let window = self.window
        let messages = try await uplink.eventLoop.flatSubmit {
            TransportPump(uplink: uplink, message: message, path: path, window: window, deadline: start + duration).start()
        }.get()
        if qos == .atMostOnce {
            try await uplink.publish(Message(topic: "bench/perch/barrier", payload: payload, qos: .atLeastOnce))
        }
        return (messages, start.duration(to: clock.now))
    }
}

/// The loop-confined side of a `TransportRun`.
private final class TransportPump {
    private let uplink: Uplink
    private let message: Message
    private let path: TransportRun.Path
    private let window: Int
    private let deadline: ContinuousClock.Instant
    private let done: EventLoopPromise<Int>
    private var next: UInt64 = 0
    private var outstanding = 0
    private var isRefillScheduled = false
    private var isOver = false
    private var isFinished = false

    init(uplink: Uplink, message: Message, path: TransportRun.Path, window: Int, deadline: ContinuousClock.Instant) {
        self.uplink = uplink
        self.message = message
        self.path = path
        self.window = window
        self.deadline = deadline
        self.done = uplink.eventLoop.makePromise()
    }

    func start() -> EventLoopFuture<Int> {
        if path == .transmit {
            uplink.setTransmissionHandler { [self] _, outcome in reported(outcome) }
        }
        refill()
        return done.futureResult
    }

    private func refill() {
        isRefillScheduled = false
        if ContinuousClock.now >= deadline { isOver = true }
        switch path {
        case .transmit:
            // At most a window per turn: a QoS 0 ticket is reported at once, so
            // `outstanding` alone would never stop this turn.
            let room = isOver ? 0 : window - outstanding
            for _ in 0..<max(0, room) {
                next += 1
                outstanding += 1
                uplink.transmit(message, ticket: UpstreamTicket(rawValue: next))
            }
            finishIfDone()
        case .send:
            guard !isOver else {
                finish(.success(Int(next)))
                return
            }
            for _ in 0..<window {
                next += 1
                uplink.send(message)
            }
            scheduleRefill()
        }
    }

    private func reported(_ outcome: UpstreamTransmissionOutcome) {
        outstanding -= 1
        if outcome != .delivered {
            isOver = true
            finish(.failure(BenchError.toolFailed(tool: "uplink transmit", detail: "a ticket ended \(outcome)")))
            return
        }
        if isOver { finishIfDone() } else { scheduleRefill() }
    }

    private func scheduleRefill() {
        guard !isRefillScheduled else { return }
        isRefillScheduled = true
        uplink.eventLoop.assumeIsolated().execute { [self] in refill() }
    }

    private func finishIfDone() {
        if isOver, outstanding == 0 { finish(.success(Int(next))) }
    }

    private func finish(_ result: Result<Int, any Error>) {
        guard !isFinished else { return }
        isFinished = true
        done.completeWith(result)
    }
}
