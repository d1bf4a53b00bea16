import Logging
import MQTTCodec
import MQTTSNCodec
import NIOCore
import PerchCore
import PerchTestKit
import Testing

/// At `debug`, every refusal and drop has one line, within each peer's budget
/// (issue 20 items 8 and 9).
@Suite("MQTTSNGateway: refusals and drops in the log")
struct GatewayRefusalLogTests {
    static func harness(level: Logger.Level = .debug) throws -> (GatewayHarness, InMemoryLogStore) {
        let logs = InMemoryLogStore()
        var logger = logs.makeLogger(label: "test.mqttsn")
        logger.logLevel = level
        return (GatewayHarness(try GatewayHarness.configuration(), logger: logger), logs)
    }

    static func lines(_ logs: InMemoryLogStore) -> [String] {
        logs.entries.filter { $0.level == .debug }.map(\.message)
    }

    @Test("§6.8: QoS -1 to a predefined id that is not configured is counted as invalid and logged")
    func unknownPredefinedQoSMinusOne() throws {
        var (harness, logs) = try Self.harness()
        let actions = harness.receive(publishPacket(.predefined(99), "x", qos: .minusOne), from: "x")
        #expect(actions.published.isEmpty)
        #expect(harness.gateway.statistics.invalid == 1)
        #expect(Self.lines(logs).contains { $0.contains("QoS -1 PUBLISH from x") && $0.contains("predefined id 0x0063") && $0.contains("dropped") })
    }

    @Test("each dropped QoS -1 has its line: normal id, bad short name")
    func droppedQoSMinusOne() throws {
        var (harness, logs) = try Self.harness()
        harness.receive(publishPacket(.normal(3), "x", qos: .minusOne), from: "x")
        harness.receive(publishPacket(.shortName(MQTTSNShortTopicName(0x23, 0x00)), "x", qos: .minusOne), from: "y")
        #expect(harness.gateway.statistics.invalid == 2)
        let lines = Self.lines(logs)
        #expect(lines.count == 2)
        #expect(lines.first?.contains("normal id 0x0003") == true)
        #expect(lines.last?.contains("QoS -1 PUBLISH from y") == true)
    }

    @Test("refusing SUBACK, PUBACK and REGACK, DISCONNECT to an unknown address: one line each, naming the client")
    func refusals() throws {
        var (harness, logs) = try Self.harness()
        harness.receive(.pingRequest(clientID: nil), from: "stranger")
        harness.connect("node-1", from: "a")
        harness.receive(.subscribe(MQTTSNSubscribe(qos: .atMostOnce, messageID: 4, topic: .predefined(77))), from: "a")
        harness.receive(publishPacket(.normal(42), "x", qos: .atLeastOnce, messageID: 5), from: "a")
        harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 6, topicName: "a/#")), from: "a")
        harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: 7, topicName: "fine")), from: "a")
        let lines = Self.lines(logs)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.contains { $0.contains("PINGREQ from stranger, which has no session: answered DISCONNECT") })
        #expect(lines.contains { $0.contains(#"SUBACK "rejected: invalid topic ID" (MsgId 4) to a (client node-1)"#) })
        #expect(lines.contains { $0.contains(#"PUBACK "rejected: invalid topic ID" (MsgId 5, TopicId 0x002A) to a (client node-1)"#) })
        #expect(lines.contains { $0.contains(#"REGACK "rejected: not supported" (MsgId 6) to a (client node-1)"#) })
    }

    @Test("§6.4: a refused WILLTOPICUPD and WILLMSGUPD have their lines")
    func willUpdates() throws {
        var (harness, logs) = try Self.harness()
        harness.connect("node-1", from: "a")
        harness.receive(.willMessageUpdate(ByteBuffer(string: "bye")), from: "a")
        harness.receive(.willTopicUpdate(MQTTSNWillTopic(qos: .atMostOnce, topic: "a/#")), from: "a")
        let lines = Self.lines(logs)
        #expect(lines.contains { $0.contains(#"WILLMSGRESP "rejected: not supported" to a (client node-1)"#) }, "\(lines)")
        #expect(lines.contains { $0.contains(#"WILLTOPICRESP "rejected: not supported" to a (client node-1)"#) }, "\(lines)")
    }

    @Test("§6.13: each downlink retransmission has its line")
    func retransmissions() throws {
        var (harness, logs) = try Self.harness()
        harness.connect("node-1", from: "a", duration: 0)
        harness.subscribed(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 1, topic: .predefined(2)), from: "a")
        harness.downlink("site/cmd/led", "on", qos: .atLeastOnce)
        harness.advance(by: .seconds(10))
        harness.advance(by: .seconds(10))
        let lines = Self.lines(logs).filter { $0.contains("within retry.interval") }
        #expect(lines.count == 2, "\(Self.lines(logs))")
        #expect(lines.first?.contains("PUBLISH MsgId 1 sent again (1 of 2, §6.13)") == true)
        #expect(lines.first?.contains("a (client node-1)") == true)
    }

    @Test("rate-limited per peer: five lines a window, the count of the rest on the next one; another peer keeps its own")
    func rateLimited() throws {
        var (harness, logs) = try Self.harness()
        for _ in 0..<20 { harness.receive(publishPacket(.normal(3), "x", qos: .minusOne), from: "flood") }
        harness.receive(publishPacket(.normal(3), "x", qos: .minusOne), from: "other")
        #expect(harness.gateway.statistics.invalid == 21)
        #expect(Self.lines(logs).filter { $0.contains("from flood") }.count == 5)
        #expect(Self.lines(logs).filter { $0.contains("from other") }.count == 1)
        harness.advance(by: .seconds(10))
        harness.receive(publishPacket(.normal(3), "x", qos: .minusOne), from: "flood")
        #expect(Self.lines(logs).last?.hasSuffix("(15 earlier lines about flood not logged)") == true)
    }

    @Test("above debug nothing is logged")
    func quietAtInfo() throws {
        var (harness, logs) = try Self.harness(level: .info)
        harness.receive(publishPacket(.predefined(99), "x", qos: .minusOne), from: "x")
        harness.receive(.pingRequest(clientID: nil), from: "stranger")
        #expect(logs.entries.isEmpty)
        #expect(harness.gateway.statistics.invalid == 2)
    }
}
