import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Uplink

@Suite struct InboundTests {
    private func connected(version: MQTTProtocolVersion = .v5) -> UplinkStateMachine {
        var machine = makeMachine(version: version)
        machine.connect()
        return machine
    }

    @Test func qos1IsDeliveredAndAcknowledged() {
        var machine = connected()
        var publish = PublishPacket(topic: "cmd/led", payload: ByteBuffer(string: "ON"), qos: .atLeastOnce, packetID: 7)
        publish.properties.contentType = "text/plain"
        let actions = machine.received(.publish(publish), now: start)
        var expected = Message(topic: "cmd/led", payload: ByteBuffer(string: "ON"), qos: .atLeastOnce)
        expected.contentType = "text/plain"
        #expect(actions == [.deliver(expected), .send(.puback(PublishAckPacket(packetID: 7)))])
    }

    /// MQTT 5.0 §4.3.3 method B: a re-sent QoS 2 PUBLISH is acknowledged, not delivered again.
    @Test func qos2DuplicatesAreSuppressedUntilPubRel() {
        var machine = connected()
        let publish = PublishPacket(topic: "cmd/x", payload: ByteBuffer(string: "1"), qos: .exactlyOnce, packetID: 9)
        let first = machine.received(.publish(publish), now: start)
        #expect(first.count == 2)
        #expect(first.last == .send(.pubrec(PublishAckPacket(packetID: 9))))
        var again = publish
        again.dup = true
        #expect(machine.received(.publish(again), now: start) == [.send(.pubrec(PublishAckPacket(packetID: 9)))])
        #expect(machine.received(.pubrel(PublishAckPacket(packetID: 9)), now: start) == [.send(.pubcomp(PublishAckPacket(packetID: 9)))])
        // After PUBREL the id is free: the same id is a new message.
        #expect(machine.received(.publish(publish), now: start).count == 2)
    }

    @Test func unknownPubRelIsStillCompleted() {
        var machine = connected()
        let actions = machine.received(.pubrel(PublishAckPacket(packetID: 3)), now: start)
        #expect(actions == [.send(.pubcomp(PublishAckPacket(packetID: 3, reasonCode: .packetIdentifierNotFound)))])
    }

    /// MQTT 5.0 §3.3.2.3.4: we allow no topic aliases, so one is refused with 0x94.
    @Test func topicAliasIsRefused() {
        var machine = connected()
        var publish = PublishPacket(topic: "a", payload: ByteBuffer(), qos: .atMostOnce)
        publish.properties.topicAlias = 1
        let actions = machine.received(.publish(publish), now: start)
        #expect(actions.sent == [.disconnect(DisconnectPacket(reasonCode: .topicAliasInvalid))])
        guard case .some(.some(.protocolViolation(let detail))) = actions.closeReason else {
            Issue.record("expected a protocol violation, got \(actions)")
            return
        }
        #expect(detail.contains("topic alias"))
    }

    @Test func expiryAndContentTypeTravelOnlyOnVersion5() {
        var message = Message(topic: "t", text: "x", qos: .atLeastOnce)
        message.contentType = "application/json"
        message.expiry = .milliseconds(1_500)
        let v5 = PublishPacket(message, version: .v5)
        #expect(v5.properties.contentType == "application/json")
        #expect(v5.properties.messageExpiryInterval == 2)
        #expect(PublishPacket(message, version: .v3_1_1).properties.isEmpty)
    }

    @Test func brokerDisconnectIsReported() {
        var machine = connected()
        var disconnect = DisconnectPacket(reasonCode: .sessionTakenOver)
        disconnect.properties.reasonString = "another client"
        let actions = machine.received(.disconnect(disconnect), now: start)
        let reason = UplinkError.disconnectedByBroker(code: .sessionTakenOver, reason: "another client")
        #expect(actions.closeReason == .some(reason))
        #expect(reason.description == "broker disconnected: session taken over (0x8E): another client")
    }
}
