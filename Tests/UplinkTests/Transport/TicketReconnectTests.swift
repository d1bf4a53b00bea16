import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Uplink

/// Tickets across a lost link and across shutdown: each reported exactly once.
@Suite struct TicketReconnectTests {
    /// A link carrying QoS 1 ticket 1, QoS 2 ticket 2 (unacknowledged) and QoS
    /// 2 ticket 3 (past PUBREC, so delivered), with ticket 4 queued; then lost,
    /// and ticket 5 transmitted while it is down.
    private func machineWithOpenTickets() -> (UplinkStateMachine, [(UpstreamTicket, UpstreamTransmissionOutcome)]) {
        var machine = makeMachine(window: 3)
        var reports: [(UpstreamTicket, UpstreamTransmissionOutcome)] = []
        reports += machine.connect().reports
        reports += machine.transmit(message("a"), ticket: 1).reports
        reports += machine.transmit(message("b", qos: .exactlyOnce), ticket: 2).reports
        reports += machine.transmit(message("c", qos: .exactlyOnce), ticket: 3).reports
        reports += machine.transmit(message("d"), ticket: 4).reports
        reports += machine.received(.pubrec(PublishAckPacket(packetID: 3)), now: start).reports
        reports += machine.connectionClosed().reports
        reports += machine.transmit(message("e"), ticket: 5).reports
        return (machine, reports)
    }

    @Test func ticketsWaitInOrderWhileTheLinkIsDown() {
        var machine = makeMachine(window: 10)
        for number in 1...4 {
            let qos: MQTTQoS = number.isMultiple(of: 2) ? .atMostOnce : .atLeastOnce
            #expect(machine.transmit(message("m\(number)", qos: qos), ticket: UInt64(number)).reports.isEmpty)
        }
        let actions = machine.connect()
        #expect(actions.published.map(\.topic) == ["m1", "m2", "m3", "m4"])
        #expect(actions.reports.map { $0.0 } == [ticket(2), ticket(4)])
    }

    /// MQTT 5.0 §4.4: with a session, in-flight PUBLISHes go again with DUP
    /// (one at a time: the link was lost with them in flight) and are
    /// reported once, at their acknowledgement.
    @Test func sessionPresentResendsWithDupAndReportsOnce() {
        var (machine, reports) = machineWithOpenTickets()
        #expect(reports.map { $0.0 } == [ticket(3)])
        let reconnect = machine.connect(sessionPresent: true)
        #expect(reconnect.published.map(\.topic) == ["a"])
        #expect(reconnect.published.allSatisfy { $0.dup })
        reports += reconnect.reports
        let next = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(next.published.map(\.topic) == ["b"])
        #expect(next.published.allSatisfy { $0.dup })
        reports += next.reports
        reports += machine.received(.pubrec(PublishAckPacket(packetID: 2)), now: start).reports
        reports += machine.received(.pubcomp(PublishAckPacket(packetID: 3)), now: start).reports
        reports += machine.received(.pubcomp(PublishAckPacket(packetID: 2)), now: start).reports
        for packet in machine.inFlight.values.sorted(by: { $0.sequence < $1.sequence }) {
            reports += machine.received(.puback(PublishAckPacket(packetID: packet.packetID)), now: start).reports
        }
        #expect(reports.map { $0.0 } == [ticket(3), ticket(1), ticket(2), ticket(4), ticket(5)])
        #expect(reports.allSatisfy { $0.1 == .delivered })
        #expect(machine.inFlight.isEmpty && machine.pending.isEmpty)
    }

    /// MQTT 5.0 §4.4: no session, so unacknowledged messages go again as new
    /// ones; the one past PUBREC is the broker's already and is not resent.
    @Test func noSessionResendsAsNewAndReportsOnce() {
        var (machine, reports) = machineWithOpenTickets()
        let reconnect = machine.connect(sessionPresent: false)
        // Probing: the messages that were in flight go one at a time.
        #expect(reconnect.published.map(\.topic) == ["a"])
        #expect(reconnect.published.allSatisfy { !$0.dup })
        reports += reconnect.reports
        var rounds = 0
        while let oldest = machine.inFlight.values.min(by: { $0.sequence < $1.sequence }), rounds < 20 {
            rounds += 1
            let ack = PublishAckPacket(packetID: oldest.packetID)
            switch (oldest.packet.qos, oldest.stage) {
            case (.exactlyOnce, .awaitingAcknowledgement): reports += machine.received(.pubrec(ack), now: start).reports
            case (.exactlyOnce, .awaitingCompletion): reports += machine.received(.pubcomp(ack), now: start).reports
            default: reports += machine.received(.puback(ack), now: start).reports
            }
        }
        #expect(Set(reports.map { $0.0 }) == Set((1...5).map { ticket(UInt64($0)) }))
        #expect(reports.count == 5)
        #expect(reports.allSatisfy { $0.1 == .delivered })
    }

    /// Queued and in-flight tickets are interrupted once; the QoS 2 ticket past
    /// PUBREC was delivered and is not reported again.
    @Test func shutdownWhileDownInterruptsAllButTheDelivered() {
        var (machine, reports) = machineWithOpenTickets()
        reports += machine.shutdown(now: start).reports
        #expect(reports.map { $0.0 } == [ticket(3), ticket(4), ticket(5), ticket(1), ticket(2)])
        #expect(reports.dropFirst().allSatisfy { $0.1 == .interrupted })
        #expect(machine.connectionClosed().reports.isEmpty)
        #expect(machine.transmit(message("late"), ticket: 6).ticketOutcomes == [ticket(6): .interrupted])
    }

    @Test func shutdownWhileConnectedWaitsForInFlightThenInterruptsTheRest() {
        var machine = makeMachine(window: 2)
        machine.connect()
        _ = machine.transmit(message("a"), ticket: 1)
        _ = machine.transmit(message("b"), ticket: 2)
        _ = machine.transmit(message("queued"), ticket: 3)
        let shutdown = machine.shutdown(now: start)
        #expect(shutdown.ticketOutcomes == [ticket(3): .interrupted])
        #expect(machine.transmit(message("late"), ticket: 4).ticketOutcomes == [ticket(4): .interrupted])
        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.ticketOutcomes == [ticket(1): .delivered])
        // The drain timeout ends the wait: DISCONNECT, and ticket 2 is interrupted.
        let timeout = machine.timerFired(now: start + .seconds(3))
        #expect(timeout.ticketOutcomes == [ticket(2): .interrupted])
        #expect(machine.connectionClosed().reports.isEmpty)
    }

    /// A link lost during the drain interrupts what is still in flight, once.
    @Test func linkLostWhileDrainingInterruptsOnce() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.transmit(message("two", qos: .exactlyOnce), ticket: 1)
        _ = machine.transmit(message("one"), ticket: 2)
        var reports = machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start).reports
        reports += machine.shutdown(now: start).reports
        reports += machine.connectionClosed().reports
        reports += machine.timerFired(now: start + .seconds(10)).reports
        #expect(reports.map { $0.0 } == [ticket(1), ticket(2)])
        #expect(reports.map { $0.1 } == [.delivered, .interrupted])
    }
}
