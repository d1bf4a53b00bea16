import MQTTCodec
import NIOCore
import Testing

@testable import Uplink

/// SPEC §5: no message blocks the ones behind it. A message the broker answers
/// by closing the link (3.1.1 has no other refusal) is found by sending the
/// suspects one at a time, and taken out after `poisonThreshold` strikes.
@Suite struct PoisonMessageTests {
    /// "poison" then "next" in flight when the broker closes the link.
    private func machineAfterFirstLoss() -> UplinkStateMachine {
        var machine = makeMachine(version: .v3_1_1, window: 10)
        machine.connect()
        _ = machine.publish(message("poison"), 1, size: 400)
        _ = machine.publish(message("next"), 2)
        _ = machine.connectionClosed(byBroker: true)
        _ = machine.publish(message("later", qos: .atMostOnce), 3)
        return machine
    }

    @Test func aLossWithSeveralInFlightStrikesNoneButProbes() {
        var machine = machineAfterFirstLoss()
        #expect(machine.isProbing)
        #expect(machine.inFlight.values.allSatisfy { $0.strikes == 0 })
        let reconnect = machine.connect(sessionPresent: true)
        #expect(reconnect.published.map(\.topic) == ["poison"])
    }

    @Test func theLoneMessageInFlightIsTakenOutAtTheThresholdAndTheRestFlows() {
        var machine = machineAfterFirstLoss()
        var outcome: [RequestID: RequestOutcome] = [:]
        for attempt in 1...UplinkStateMachine.poisonThreshold {
            let reconnect = machine.connect(sessionPresent: true)
            #expect(reconnect.published.map(\.topic) == ["poison"], "attempt \(attempt)")
            outcome = machine.connectionClosed(byBroker: true).completions
            if attempt < UplinkStateMachine.poisonThreshold {
                #expect(outcome.isEmpty)
            }
        }
        #expect(outcome == [request(1): .failed(.poisonMessage(topic: "poison", size: 400, attempts: 3))])
        // The next connection carries the rest, in order: "next" alone first (a
        // suspect too), then the QoS 0 message behind it.
        let reconnect = machine.connect(sessionPresent: true)
        #expect(reconnect.published.map(\.topic) == ["next"])
        let ack = machine.received(.puback(PublishAckPacket(packetID: reconnect.published[0].packetID ?? 0)), now: start)
        #expect(ack.completions == [request(2): .published])
        #expect(ack.published.map(\.topic) == ["later"])
        #expect(!machine.isProbing)
    }

    @Test func anAcknowledgementBetweenLossesKeepsTheMessage() {
        var machine = makeMachine(version: .v3_1_1, window: 10)
        machine.connect()
        _ = machine.publish(message("flaky"), 1)
        for _ in 1..<UplinkStateMachine.poisonThreshold {
            _ = machine.connectionClosed(byBroker: true)
            machine.connect(sessionPresent: true)
        }
        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.completions == [request(1): .published])
        #expect(!machine.isProbing)
    }

    @Test func aShutdownIsNoStrike() {
        var machine = makeMachine(version: .v3_1_1, window: 10)
        machine.connect()
        _ = machine.publish(message("a"), 1)
        _ = machine.shutdown(now: start)
        _ = machine.connectionClosed(byBroker: true)
        #expect(machine.inFlight.values.allSatisfy { $0.strikes == 0 })
    }
}

/// SPEC §5: the broker's limits are honoured at connect.
@Suite struct BrokerLimitsTests {
    private func machine(version: MQTTProtocolVersion, qos: MQTTQoS = .atLeastOnce, retain: Bool = true) -> UplinkStateMachine {
        let will = ConnectPacket.Will(topic: "perch/gw/status", payload: ByteBuffer(string: "offline"), qos: qos, retain: retain)
        return UplinkStateMachine(
            settings: .init(
                connect: ConnectPacket(version: version, clientID: "test", cleanStart: false, keepAliveSeconds: 10, will: will),
                inFlightWindow: 4, connectTimeout: .seconds(5), endpoint: "127.0.0.1:1883"
            )
        )
    }

    private func sentWill(_ actions: [UplinkAction]) -> ConnectPacket.Will?? {
        for packet in actions.sent { if case .connect(let connect) = packet { return .some(connect.will) } }
        return nil
    }

    @Test func version5RetainNotSupportedRetriesWithoutRetain() {
        var machine = machine(version: .v5)
        _ = machine.connectionOpened(now: start)
        let refused = machine.received(.connack(ConnAckPacket(reasonCode: .retainNotSupported)), now: start)
        #expect(refused.closeReason == .some(.connectionRefused(code: .retainNotSupported, version: .v5)))
        _ = machine.connectionClosed(byBroker: false)
        let next = machine.connectionOpened(now: start)
        #expect(sentWill(next)??.retain == false)
        #expect(sentWill(next)??.qos == .atLeastOnce)
        var properties = MQTTProperties()
        properties.retainAvailable = 0
        _ = machine.received(.connack(ConnAckPacket(properties: properties)), now: start)
        #expect(machine.degradations == ["will_retain", "status_retain", "message_retain"])
    }

    @Test func version5QoSNotSupportedLowersTheWillStepByStep() {
        var machine = machine(version: .v5, qos: .exactlyOnce, retain: false)
        for expected in [MQTTQoS.atLeastOnce, .atMostOnce] {
            _ = machine.connectionOpened(now: start)
            _ = machine.received(.connack(ConnAckPacket(reasonCode: .qosNotSupported)), now: start)
            _ = machine.connectionClosed()
            #expect(machine.limits.will?.qos == expected)
        }
        _ = machine.connectionOpened(now: start)
        var properties = MQTTProperties()
        properties.maximumQoS = 0
        _ = machine.received(.connack(ConnAckPacket(properties: properties)), now: start)
        #expect(machine.degradations == ["will_qos", "status_qos", "message_qos"])
    }

    /// 3.1.1: a close before CONNACK walks the ladder; what the accepted will
    /// gave up is what the broker refuses for every message.
    @Test func version311LadderInfersTheLimits() {
        var machine = machine(version: .v3_1_1)
        _ = machine.connectionOpened(now: start)
        _ = machine.connectionClosed(byBroker: true)
        #expect(machine.limits.will?.retain == false && machine.limits.will?.qos == .atLeastOnce)
        _ = machine.connectionOpened(now: start)
        _ = machine.connectionClosed(byBroker: true)
        #expect(machine.limits.will?.retain == true && machine.limits.will?.qos == .atMostOnce)
        _ = machine.connectionOpened(now: start)
        _ = machine.received(.connack(ConnAckPacket()), now: start)
        #expect(machine.degradations == ["will_qos", "status_qos", "message_qos"])
        let sent = machine.publish(message("sensor"), 1)
        #expect(sent.published.map(\.qos) == [.atMostOnce])
    }

    @Test func version311CloseByUsIsNotALimit() {
        var machine = machine(version: .v3_1_1)
        _ = machine.connectionOpened(now: start)
        _ = machine.connectionClosed(byBroker: false)
        #expect(machine.limits.will?.retain == true)
    }

    @Test func unsupportedProtocolVersionNamesTheSetting() {
        var machine = machine(version: .v5)
        _ = machine.connectionOpened(now: start)
        let refused = machine.received(.connack(ConnAckPacket(reasonCode: .unsupportedProtocolVersion)), now: start)
        guard case .some(.some(.protocolMismatch(let detail))) = refused.closeReason else {
            Issue.record("expected a protocol mismatch, got \(String(describing: refused.closeReason))")
            return
        }
        #expect(detail.contains("unsupported protocol version"))
        #expect(UplinkError.protocolMismatch(detail: detail).description.contains(#"uplink.protocol: "3.1.1""#))
    }

    /// A 3.1.1 broker answers a v5 CONNECT with 20 02 00 01.
    @Test func aVersion311RefusalOfAVersion5ConnectIsNamed() throws {
        var buffer = ByteBuffer(bytes: [0x20, 0x02, 0x00, 0x01])
        var decoder = MQTTPacketDecoder(version: .v5, maximumPacketSize: 1 << 20)
        let packet = try #require(try decoder.decode(buffer: &buffer))
        var machine = machine(version: .v5)
        _ = machine.connectionOpened(now: start)
        let refused = machine.received(packet, now: start)
        guard case .some(.some(.protocolMismatch(let detail))) = refused.closeReason else {
            Issue.record("expected a protocol mismatch, got \(String(describing: refused.closeReason))")
            return
        }
        #expect(detail.contains("3.1.1 CONNACK"))
    }
}

/// MQTT 3.1.1 cannot announce how many QoS 2 messages the broker holds
/// between PUBLISH and PUBREL; Mosquitto silently drops those past its limit.
@Suite struct Version311QoS2WindowTests {
    @Test func oneQoS2MessageAwaitsPubRecAtATime() {
        var machine = makeMachine(version: .v3_1_1, window: 10)
        machine.connect()
        let first = machine.publish(message("a", qos: .exactlyOnce), 1)
        let second = machine.publish(message("b", qos: .exactlyOnce), 2)
        #expect(first.published.map(\.topic) == ["a"])
        #expect(second.published.isEmpty)
        let rec = machine.received(.pubrec(PublishAckPacket(packetID: first.published[0].packetID ?? 0)), now: start)
        // PUBREL for a, then b behind it.
        #expect(rec.sent.count == 2)
        #expect(rec.published.map(\.topic) == ["b"])
    }

    @Test func noQoS1MessageFollowsAQoS2MessageBeforeItsPubRec() {
        var machine = makeMachine(version: .v3_1_1, window: 10)
        machine.connect()
        let first = machine.publish(message("a", qos: .exactlyOnce), 1)
        let second = machine.publish(message("b", qos: .atLeastOnce), 2)
        #expect(second.published.isEmpty)
        let rec = machine.received(.pubrec(PublishAckPacket(packetID: first.published[0].packetID ?? 0)), now: start)
        #expect(rec.published.map(\.topic) == ["b"])
    }

    @Test func version5UsesTheReceiveMaximum() {
        var machine = makeMachine(version: .v5, window: 10)
        machine.connect()
        let first = machine.publish(message("a", qos: .exactlyOnce), 1)
        let second = machine.publish(message("b", qos: .exactlyOnce), 2)
        #expect(first.published.count + second.published.count == 2)
    }
}
