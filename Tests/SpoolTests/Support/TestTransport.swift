import NIOCore
import NIOPosix
import PerchCore

/// An uplink stand-in on a real event loop: it records what the spool hands
/// over, and the test says when the link is up and what the broker took.
/// Everything it holds is touched on `eventLoop` only.
final class TestTransport: UpstreamTransport, Sendable {
    let eventLoop: any EventLoop
    private let state: NIOLoopBoundBox<State>
    /// What the broker took, in order, while `autoDeliver` is on.
    let deliveries: AsyncStream<Message>
    private let deliveriesContinuation: AsyncStream<Message>.Continuation

    final class State {
        var transmissionHandler: ((UpstreamTicket, UpstreamTransmissionOutcome) -> Void)?
        var linkHandler: ((Bool) -> Void)?
        var transmitted: [(message: Message, ticket: UpstreamTicket)] = []
        var delivered: [Message] = []
        var outstanding: [UpstreamTicket] = []
        var autoDeliver = false
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.state = NIOLoopBoundBox.makeBoxSendingValue(State(), eventLoop: eventLoop)
        (deliveries, deliveriesContinuation) = AsyncStream.makeStream(of: Message.self)
    }

    /// From now on the broker takes every message as it is handed over (on
    /// the next turn of the loop, as an acknowledgement would come).
    func setAutoDeliver() async throws {
        let state = self.state
        try await eventLoop.submit { state.value.autoDeliver = true }.get()
    }

    func setTransmissionHandler(_ handler: @escaping (UpstreamTicket, UpstreamTransmissionOutcome) -> Void) {
        state.value.transmissionHandler = handler
    }

    func setLinkHandler(_ handler: @escaping (Bool) -> Void) {
        state.value.linkHandler = handler
    }

    func transmit(_ message: Message, ticket: UpstreamTicket) {
        state.value.transmitted.append((message, ticket))
        guard state.value.autoDeliver else {
            state.value.outstanding.append(ticket)
            return
        }
        let state = self.state
        let continuation = deliveriesContinuation
        eventLoop.execute {
            state.value.delivered.append(message)
            continuation.yield(message)
            state.value.transmissionHandler?(ticket, .delivered)
        }
    }

    /// Brings the link up or down.
    func link(up: Bool) async throws {
        let state = self.state
        try await eventLoop.submit { state.value.linkHandler?(up) }.get()
    }

    /// The broker takes every outstanding message, in order; returns how many.
    @discardableResult
    func deliverAll() async throws -> Int {
        let state = self.state
        return try await eventLoop.submit {
            var count = 0
            while !state.value.outstanding.isEmpty {
                let ticket = state.value.outstanding.removeFirst()
                if let entry = state.value.transmitted.first(where: { $0.ticket == ticket }) {
                    state.value.delivered.append(entry.message)
                }
                state.value.transmissionHandler?(ticket, .delivered)
                count += 1
            }
            return count
        }.get()
    }

    /// The uplink stops: every outstanding message is interrupted.
    func interruptAll() async throws {
        let state = self.state
        try await eventLoop.submit {
            let tickets = state.value.outstanding
            state.value.outstanding.removeAll()
            for ticket in tickets { state.value.transmissionHandler?(ticket, .interrupted) }
        }.get()
    }

    /// Payload texts of the messages the broker took, in order.
    func deliveredTexts() async throws -> [String] {
        let state = self.state
        return try await eventLoop.submit {
            state.value.delivered.map { String(buffer: $0.payload) }
        }.get()
    }
}
