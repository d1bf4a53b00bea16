import MQTTCodec
import NIOCore
import Testing

@testable import Uplink

@Suite struct PublishWindowTests {
    @Test func queuesWhileDisconnectedAndSendsInOrderOnConnect() {
        var machine = makeMachine(window: 10)
        #expect(machine.publish(message("a"), 1).isEmpty)
        #expect(machine.publish(message("b", qos: .atMostOnce), 2).isEmpty)
        #expect(machine.publish(message("c", qos: .exactlyOnce), 3).isEmpty)
        let actions = machine.connect()
        #expect(actions.published.map(\.topic) == ["a", "b", "c"])
        #expect(actions.published.map(\.packetID) == [1, nil, 2])
    }

    @Test func windowLimitsUnacknowledgedMessagesAndKeepsFIFO() {
        var machine = makeMachine(window: 2)
        machine.connect()
        #expect(machine.publish(message("1"), 1).published.map(\.topic) == ["1"])
        #expect(machine.publish(message("2"), 2).published.map(\.topic) == ["2"])
        #expect(machine.publish(message("3"), 3).isEmpty)
        // A QoS 0 message takes no slot but must not overtake message 3.
        #expect(machine.publish(message("4", qos: .atMostOnce), 4).isEmpty)
        #expect(machine.publish(message("5"), 5).isEmpty)

        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.completions == [request(1): .published])
        #expect(ack.published.map(\.topic) == ["3", "4"])
        #expect(ack.sent.contains { if case .publish(let p) = $0 { return p.topic == "4" } else { return false } })
        let next = machine.received(.puback(PublishAckPacket(packetID: 2)), now: start)
        #expect(next.published.map(\.topic) == ["5"])
        #expect(machine.inFlight.count == 2)
    }

    @Test func qos0IsCompletedOnWrite() {
        var machine = makeMachine()
        machine.connect()
        let actions = machine.publish(message("zero", qos: .atMostOnce), 9)
        #expect(actions == [.send(.publish(message("zero", qos: .atMostOnce)), completing: .request(request(9)))])
    }

    /// MQTT 5.0 §3.2.2.3.3 / §4.9: the broker's Receive Maximum lowers the window.
    @Test func receiveMaximumLowersTheWindow() {
        var machine = makeMachine(window: 32)
        for number in 1...5 { _ = machine.publish(message("m\(number)"), UInt64(number)) }
        let actions = machine.connect(receiveMaximum: 3)
        #expect(actions.published.map(\.topic) == ["m1", "m2", "m3"])
        #expect(machine.pending.count == 2)
    }

    @Test func configuredWindowWinsWhenSmaller() {
        var machine = makeMachine(window: 2)
        for number in 1...5 { _ = machine.publish(message("m\(number)"), UInt64(number)) }
        #expect(machine.connect(receiveMaximum: 100).published.count == 2)
    }

    /// The QoS 2 slot is held until PUBCOMP, the caller is released at PUBREC.
    @Test func qos2ReleasesCallerAtPubRecAndSlotAtPubComp() {
        var machine = makeMachine(window: 1)
        machine.connect()
        #expect(machine.publish(message("two", qos: .exactlyOnce), 1).published.map(\.packetID) == [1])
        #expect(machine.publish(message("next"), 2).isEmpty)

        let pubrec = machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start)
        #expect(pubrec.completions == [request(1): .published])
        #expect(pubrec.sent == [.pubrel(PublishAckPacket(packetID: 1))])

        let pubcomp = machine.received(.pubcomp(PublishAckPacket(packetID: 1)), now: start)
        #expect(pubcomp.published.map(\.topic) == ["next"])
        #expect(pubcomp.completions.isEmpty)
    }

    @Test func refusedPublishFailsTheCaller() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("secret"), 1)
        let actions = machine.received(.puback(PublishAckPacket(packetID: 1, reasonCode: .notAuthorized)), now: start)
        #expect(actions.completions == [request(1): .failed(.publishRefused(topic: "secret", code: .notAuthorized))])
        #expect(machine.inFlight.isEmpty)
    }

    /// MQTT 5.0 §3.2.2.3.6: nothing larger than the broker's Maximum Packet Size.
    @Test func tooLargeForTheBrokerIsRefusedWithoutBlockingTheQueue() {
        var machine = makeMachine()
        _ = machine.publish(message("big"), 1, size: 2_000)
        _ = machine.publish(message("small"), 2, size: 100)
        let actions = machine.connect(maximumPacketSize: 1_024)
        #expect(actions.completions == [request(1): .failed(.packetTooLarge(topic: "big", size: 2_000, maximum: 1_024))])
        #expect(actions.published.map(\.topic) == ["small"])
    }

    @Test func idsSkipThoseStillInFlight() {
        var machine = makeMachine(window: 3)
        machine.connect()
        _ = machine.publish(message("a"), 1)
        _ = machine.publish(message("b"), 2)
        _ = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        machine.packetIDs = {
            // Pretend the counter wrapped: 2 is still open, so the next id is 3.
            var ids = PacketIDAllocator()
            ids.reserve(2)
            return ids
        }()
        _ = machine.publish(message("c"), 3)
        let d = machine.publish(message("d"), 4)
        #expect(d.published.map(\.packetID) == [3])
    }
}

@Suite struct CancellationTests {
    @Test func cancelledBeforeSendingIsDropped() {
        var machine = makeMachine(window: 1)
        machine.connect()
        _ = machine.publish(message("first"), 1)
        _ = machine.publish(message("dropped"), 2)
        _ = machine.publish(message("kept"), 3)
        let dropped = machine.cancelPublish(request(2))
        #expect(dropped)
        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.published.map(\.topic) == ["kept"])
    }

    @Test func cancelledInFlightStaysInFlightWithoutItsCaller() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("sent"), 1)
        let dropped = machine.cancelPublish(request(1))
        #expect(!dropped)
        #expect(machine.inFlight.count == 1)
        #expect(machine.received(.puback(PublishAckPacket(packetID: 1)), now: start).completions.isEmpty)
        #expect(machine.inFlight.isEmpty)
    }
}

@Suite struct BrokerLimitTests {
    /// [MQTT-3.2.2-11]: a broker with Maximum QoS 1 gets QoS 2 messages at QoS 1.
    @Test func qosIsCappedAtTheBrokersMaximum() {
        var machine = makeMachine()
        _ = machine.connectionOpened(now: start)
        var properties = MQTTProperties()
        properties.maximumQoS = 1
        _ = machine.received(.connack(ConnAckPacket(properties: properties)), now: start)
        let actions = machine.publish(message("two", qos: .exactlyOnce), 1)
        #expect(actions.published.map(\.qos) == [.atLeastOnce])
        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(ack.completions == [request(1): .published])
    }

    /// [MQTT-3.2.2-14]: no retained message to a broker without Retain
    /// Available: it goes without RETAIN (SPEC §5: sensor messages keep flowing).
    @Test func retainedMessageGoesWithoutRetainWhenTheBrokerHasNone() {
        var machine = makeMachine()
        _ = machine.connectionOpened(now: start)
        var properties = MQTTProperties()
        properties.retainAvailable = 0
        _ = machine.received(.connack(ConnAckPacket(properties: properties)), now: start)
        var retained = message("status")
        retained.retain = true
        let actions = machine.publish(retained, 1)
        #expect(actions.completions.isEmpty)
        #expect(actions.published.map(\.retain) == [false])
    }
}
