import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Uplink

/// When a ticket is reported, and how (the `UpstreamTransport` contract).
@Suite struct TicketOutcomeTests {
    @Test func qos1IsDeliveredAtASuccessfulPubAck() {
        var machine = makeMachine()
        machine.connect()
        #expect(machine.transmit(message("one"), ticket: 1).reports.isEmpty)
        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.ticketOutcomes == [ticket(1): .delivered])
    }

    /// 5.0 §4.3.3: the broker owns a QoS 2 message from PUBREC; PUBCOMP reports nothing more.
    @Test func qos2IsDeliveredAtPubRecAndNotAgainAtPubComp() {
        var machine = makeMachine()
        machine.connect()
        #expect(machine.transmit(message("two", qos: .exactlyOnce), ticket: 2).reports.isEmpty)
        let rec = machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start)
        #expect(rec.ticketOutcomes == [ticket(2): .delivered])
        #expect(machine.received(.pubcomp(PublishAckPacket(packetID: 1)), now: start).reports.isEmpty)
        #expect(machine.inFlight.isEmpty)
    }

    @Test func qos0IsDeliveredWhenItGoesOnTheConnectedLink() {
        var machine = makeMachine()
        #expect(machine.transmit(message("zero", qos: .atMostOnce), ticket: 3).reports.isEmpty)
        let actions = machine.connect()
        #expect(actions.ticketOutcomes == [ticket(3): .delivered])
        #expect(actions.published.map(\.topic) == ["zero"])
        // Behind a QoS 1 message waiting for the window it waits its turn too.
        var narrow = makeMachine(window: 1)
        narrow.connect()
        _ = narrow.transmit(message("first"), ticket: 1)
        _ = narrow.transmit(message("second"), ticket: 2)
        #expect(narrow.transmit(message("later", qos: .atMostOnce), ticket: 3).reports.isEmpty)
        let ack = narrow.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.reports.map { $0.0 } == [ticket(1), ticket(3)])
        #expect(ack.published.map(\.topic) == ["second", "later"])
    }

    /// MQTT 5.0 §3.4.2.1: a reason code ≥ 0x80 refuses the message for good.
    @Test func failedPubAckRefusesNamingTopicAndCode() throws {
        var machine = makeMachine()
        machine.connect()
        _ = machine.transmit(message("quota/topic"), ticket: 4)
        let ack = machine.received(.puback(PublishAckPacket(packetID: 1, reasonCode: .quotaExceeded)), now: start)
        let outcome = try #require(ack.ticketOutcomes[ticket(4)])
        guard case .refused(let reason) = outcome else {
            Issue.record("expected a refusal, got \(outcome)")
            return
        }
        #expect(reason.contains("quota/topic"))
        #expect(reason.contains("0x97"))
    }

    @Test func failedPubRecRefuses() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.transmit(message("t2", qos: .exactlyOnce), ticket: 5)
        let rec = machine.received(.pubrec(PublishAckPacket(packetID: 1, reasonCode: .notAuthorized)), now: start)
        #expect(rec.ticketOutcomes == [ticket(5): .refused("broker refused the message on t2: not authorized (0x87)")])
        #expect(machine.inFlight.isEmpty)
    }

    /// MQTT 5.0 §3.2.2.3.6: larger than the broker's Maximum Packet Size.
    @Test func oversizedMessageIsRefused() {
        var machine = makeMachine()
        machine.connect(maximumPacketSize: 100)
        let actions = machine.transmit(message("big"), ticket: 6, size: 101)
        #expect(actions.ticketOutcomes == [ticket(6): .tooLarge(size: 101, maximum: 100)])
        #expect(actions.published.isEmpty)
    }

    /// [MQTT-3.2.2-14]: no RETAIN to a broker without Retain Available; the
    /// message goes without it rather than being lost (`message_retain`).
    @Test func retainWithoutRetainAvailableGoesWithoutRetain() {
        var machine = makeMachine()
        _ = machine.connectionOpened(now: start)
        var properties = MQTTProperties()
        properties.retainAvailable = 0
        _ = machine.received(.connack(ConnAckPacket(properties: properties)), now: start)
        var retained = message("status")
        retained.retain = true
        let actions = machine.transmit(retained, ticket: 7)
        #expect(actions.ticketOutcomes.isEmpty)
        #expect(actions.published.map(\.retain) == [false])
        #expect(machine.degradations == ["message_retain"])
    }

    /// Tickets and promised requests share one FIFO and one window.
    @Test func ticketsAndRequestsKeepOneOrder() {
        var machine = makeMachine(window: 10)
        _ = machine.publish(message("r1"), 1)
        _ = machine.transmit(message("t1"), ticket: 1)
        _ = machine.publish(message("r2", qos: .atMostOnce), 2)
        _ = machine.transmit(message("t2", qos: .atMostOnce), ticket: 2)
        let actions = machine.connect()
        #expect(actions.published.map(\.topic) == ["r1", "t1", "r2", "t2"])
        #expect(actions.ticketOutcomes == [ticket(2): .delivered])
        let ack = machine.received(.puback(PublishAckPacket(packetID: 2)), now: start)
        #expect(ack.ticketOutcomes == [ticket(1): .delivered])
        #expect(ack.completions.isEmpty)
    }
}
