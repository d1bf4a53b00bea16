import NIOCore
import PerchCore
import Uplink

/// What a `TicketPump` saw: every report, in the order it came.
struct PumpReport: Sendable {
    var total: UInt64
    var reports: [(ticket: UInt64, outcome: UpstreamTransmissionOutcome)]

    /// Tickets reported more than once.
    var duplicates: [UInt64] {
        var seen = Set<UInt64>()
        return reports.compactMap { seen.insert($0.ticket).inserted ? nil : $0.ticket }
    }

    var delivered: [UInt64] { reports.filter { $0.outcome == .delivered }.map { $0.ticket } }
}

/// Drives an `UpstreamTransport` as the spool will: `total` messages with
/// tickets 1…total, at most `window` unreported at a time, every call on the
/// transport's loop. The pump lives on that loop; only futures leave it.
final class TicketPump {
    private let transport: any UpstreamTransport
    private let total: UInt64
    private let window: Int
    private let makeMessage: (UInt64) -> Message
    private var next: UInt64 = 1
    private var outstanding = 0
    private var reports: [(ticket: UInt64, outcome: UpstreamTransmissionOutcome)] = []
    private var delivered = 0
    private let done: EventLoopPromise<PumpReport>
    private var milestones: [(count: Int, promise: EventLoopPromise<Void>)] = []
    /// Stop transmitting at the milestone until `resume()`.
    private var pausesAtMilestone = false
    private var isPaused = false

    private init(transport: any UpstreamTransport, total: UInt64, window: Int, makeMessage: @escaping (UInt64) -> Message) {
        self.transport = transport
        self.total = total
        self.window = window
        self.makeMessage = makeMessage
        self.done = transport.eventLoop.makePromise()
    }

    /// A started pump, as seen from outside its loop.
    struct Handle: Sendable {
        /// Completes once `milestone` tickets are delivered.
        var milestone: EventLoopFuture<Void>
        /// Completes once every ticket is reported.
        var report: EventLoopFuture<PumpReport>
        fileprivate var pump: EventLoopFuture<NIOLoopBound<TicketPump>>

        /// Transmitting again after a pause at the milestone.
        func resume() {
            pump.whenSuccess { $0.value.resume() }
        }
    }

    /// Starts a pump on `transport`'s loop; with `pause`, it stops
    /// transmitting at the milestone until `Handle.resume()`.
    static func start(
        on transport: any UpstreamTransport,
        total: UInt64,
        window: Int,
        milestone: Int? = nil,
        pause: Bool = false,
        makeMessage: @escaping @Sendable (UInt64) -> Message
    ) -> Handle {
        let loop = transport.eventLoop
        let started = loop.submit {
            let pump = TicketPump(transport: transport, total: total, window: window, makeMessage: makeMessage)
            let reached = loop.makePromise(of: Void.self)
            pump.milestones.append((milestone ?? 0, reached))
            pump.pausesAtMilestone = pause
            transport.setTransmissionHandler { ticket, outcome in pump.reported(ticket, outcome) }
            pump.fill()
            return (reached.futureResult, pump.done.futureResult, NIOLoopBound(pump, eventLoop: loop))
        }
        return Handle(
            milestone: started.flatMap { $0.0 },
            report: started.flatMap { $0.1 },
            pump: started.map { $0.2 }
        )
    }

    private func resume() {
        isPaused = false
        fill()
    }

    private func fill() {
        while !isPaused, outstanding < window, next <= total {
            let ticket = next
            next += 1
            outstanding += 1
            transport.transmit(makeMessage(ticket), ticket: UpstreamTicket(rawValue: ticket))
        }
    }

    private func reported(_ ticket: UpstreamTicket, _ outcome: UpstreamTransmissionOutcome) {
        reports.append((ticket.rawValue, outcome))
        outstanding -= 1
        if outcome == .delivered { delivered += 1 }
        milestones.removeAll { milestone in
            guard delivered >= milestone.count else { return false }
            if pausesAtMilestone { isPaused = true }
            milestone.promise.succeed()
            return true
        }
        if reports.count >= Int(total) {
            done.succeed(PumpReport(total: total, reports: reports))
        } else {
            fill()
        }
    }
}
