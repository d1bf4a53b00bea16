import MQTTCodec
import NIOCore
import NIOEmbedded
import PerchCore
import Testing

@testable import Uplink

/// What the transmission handler has been told, in order.
private final class ReportLog {
    var reports: [(UpstreamTicket, UpstreamTransmissionOutcome)] = []
    var tickets: [UpstreamTicket] { reports.map { $0.0 } }
}

/// `UplinkCore` as the spool's transport on an `EmbeddedChannel`: reports,
/// re-entry and refusals, with the real encoder and channel handler.
@Suite struct TransportCoreTests {
    private func connected(window: Int = 8) throws -> (Harness, ReportLog) {
        let harness = try Harness(window: window)
        let log = ReportLog()
        harness.core.transmissionHandler = { log.reports.append(($0, $1)) }
        try harness.acceptConnection()
        _ = try harness.flushed()
        return (harness, log)
    }

    /// QoS 0 is delivered when handed to the live connection, before the write
    /// completes (no promise is made for it).
    @Test func qos0IsReportedBeforeTheWriteCompletes() throws {
        let (harness, log) = try connected()
        harness.core.transmit(Message(topic: "zero", text: "0"), ticket: ticket(1))
        #expect(log.tickets == [ticket(1)])
        #expect(log.reports.first?.1 == .delivered)
        harness.loop.run()
        #expect(try harness.flushed().count == 1)
    }

    /// A handler that transmits from inside its call cannot overtake packets of
    /// the batch that produced the report.
    @Test func reentrantTransmitKeepsTheWireOrder() throws {
        let (harness, log) = try connected(window: 1)
        let core = harness.core
        core.transmissionHandler = { ticket, outcome in
            log.reports.append((ticket, outcome))
            if ticket.rawValue == 1 { core.transmit(Message(topic: "e", text: "e"), ticket: UpstreamTicket(rawValue: 5)) }
        }
        // "a" takes the one slot; "b" waits for it, and the QoS 0 "c" and "d" behind "b".
        core.transmit(Message(topic: "a", text: "a", qos: .atLeastOnce), ticket: ticket(1))
        core.transmit(Message(topic: "b", text: "b", qos: .atLeastOnce), ticket: ticket(2))
        core.transmit(Message(topic: "c", text: "c"), ticket: ticket(3))
        core.transmit(Message(topic: "d", text: "d"), ticket: ticket(4))
        #expect(log.reports.isEmpty)
        try harness.channel.writeInbound(MQTTPacket.puback(PublishAckPacket(packetID: 1)))
        harness.loop.run()
        #expect(log.tickets == [ticket(1), ticket(3), ticket(4), ticket(5)])
        let topics = try harness.flushed().compactMap { packet -> String? in
            if case .publish(let publish) = packet { return publish.topic } else { return nil }
        }
        #expect(topics == ["a", "b", "c", "d", "e"])
    }

    /// Documented choice: an encoder refusal is reported from inside `transmit`.
    @Test func encoderRefusalIsReportedSynchronouslyNamingTheTopic() throws {
        let (harness, log) = try connected()
        harness.core.transmit(Message(topic: "bad/+/topic", text: "x", qos: .atLeastOnce), ticket: ticket(9))
        #expect(log.tickets == [ticket(9)])
        guard case .refused(let reason)? = log.reports.first?.1 else {
            Issue.record("expected a refusal, got \(log.reports)")
            return
        }
        #expect(reason.contains("bad/+/topic"))
        harness.loop.run()
        #expect(try harness.flushed().isEmpty)
    }

    @Test func shutdownInterruptsQueuedAndInFlightOnceThenEveryNewTicket() throws {
        let (harness, log) = try connected(window: 1)
        harness.core.transmit(Message(topic: "flight", text: "1", qos: .atLeastOnce), ticket: ticket(1))
        harness.core.transmit(Message(topic: "queued", text: "2", qos: .atLeastOnce), ticket: ticket(2))
        harness.core.shutdown()
        #expect(log.tickets == [ticket(2)])
        harness.loop.advanceTime(by: .seconds(2))
        #expect(log.tickets == [ticket(2), ticket(1)])
        #expect(log.reports.allSatisfy { $0.1 == .interrupted })
        harness.core.transmit(Message(topic: "late", text: "3", qos: .atLeastOnce), ticket: ticket(3))
        #expect(log.tickets == [ticket(2), ticket(1), ticket(3)])
        #expect(log.reports.last?.1 == .interrupted)
    }

    /// The existing callers share the FIFO with tickets and keep their promises.
    @Test func promisedPublishesAndTicketsInterleave() throws {
        let (harness, log) = try connected()
        let future = harness.publish("promised", request: 1)
        harness.core.transmit(Message(topic: "ticketed", text: "t", qos: .atLeastOnce), ticket: ticket(1))
        harness.loop.run()
        try harness.channel.writeInbound(MQTTPacket.puback(PublishAckPacket(packetID: 1)))
        try harness.channel.writeInbound(MQTTPacket.puback(PublishAckPacket(packetID: 2)))
        #expect(throws: Never.self) { try future.wait() }
        #expect(log.tickets == [ticket(1)])
        #expect(harness.core.waiters.isEmpty)
    }
}

/// The spool sets `Message.expiry` per message before `transmit`.
@Suite struct MessageExpiryTests {
    /// MQTT 5.0 §3.3.2.3.3: the Message Expiry Interval, rounded up to whole seconds.
    @Test func expiryBecomesTheMQTT5Property() {
        let message = Message(topic: "e", payload: ByteBuffer(), expiry: .milliseconds(1500))
        #expect(PublishPacket(message, version: .v5).properties.messageExpiryInterval == 2)
    }

    /// 3.1.1 has no place for it: dropped, and the packet encodes as 3.1.1.
    @Test func expiryIsDroppedOn311() throws {
        let message = Message(topic: "e", payload: ByteBuffer(), qos: .atLeastOnce, expiry: .seconds(30))
        var packet = PublishPacket(message, version: .v3_1_1)
        #expect(packet.properties == MQTTProperties())
        packet.packetID = 1
        var buffer = ByteBuffer()
        try MQTTPacket.publish(packet).encode(version: .v3_1_1, into: &buffer)
        let decoded = try #require(try MQTTPacket.decode(from: &buffer, version: .v3_1_1))
        #expect(decoded == .publish(packet))
    }
}
