import MQTTCodec
import NIOCore
import Testing

@testable import Uplink

@Suite struct RetransmissionTests {
    /// A connection carrying QoS 1 "a", QoS 2 "b" (unacknowledged) and QoS 2
    /// "c" (past PUBREC), with "d" still queued, then lost.
    private func machineWithOpenExchanges(window: Int = 3) -> UplinkStateMachine {
        var machine = makeMachine(window: window)
        machine.connect()
        _ = machine.publish(message("a"), 1)
        _ = machine.publish(message("b", qos: .exactlyOnce), 2)
        _ = machine.publish(message("c", qos: .exactlyOnce), 3)
        _ = machine.publish(message("d"), 4)
        _ = machine.received(.pubrec(PublishAckPacket(packetID: 3)), now: start)
        _ = machine.connectionClosed()
        return machine
    }

    /// [MQTT-4.4.0-1]: with a session, unacknowledged PUBLISHes go again with
    /// DUP=1 and their ids, in order, PUBRELs again for those past PUBREC. The
    /// link was lost with them in flight, so they go one at a time (probing
    /// for a poison message, UplinkStateMachine+Poison.swift).
    @Test func sessionPresentResendsWithDupAndSameIDs() {
        var machine = machineWithOpenExchanges()
        let actions = machine.connect(sessionPresent: true, now: start + .seconds(2))
        #expect(actions.first == .connected(sessionPresent: true))
        var a = message("a")
        a.packetID = 1
        a.dup = true
        var b = message("b", qos: .exactlyOnce)
        b.packetID = 2
        b.dup = true
        #expect(actions.sent == [.pubrel(PublishAckPacket(packetID: 3)), .publish(a)])
        #expect(actions.completions.isEmpty)
        let next = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(next.sent == [.publish(b)])
    }

    @Test func queuedMessageFollowsTheRetransmissionsWhenTheyAreThrough() {
        var machine = machineWithOpenExchanges()
        machine.connect(sessionPresent: true)
        let first = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start)
        #expect(first.completions == [request(1): .published])
        #expect(first.published.map(\.topic) == ["b"])
        let actions = machine.received(.pubrec(PublishAckPacket(packetID: 2)), now: start)
        #expect(!machine.isProbing)
        #expect(actions.published.map(\.topic) == [])  // the window (3) is full: b and c await PUBCOMP
        let freed = machine.received(.pubcomp(PublishAckPacket(packetID: 3)), now: start)
        var d = message("d")
        d.packetID = 4
        #expect(freed.published == [d])
    }

    /// No session: unacknowledged messages go again as new ones, ahead of the
    /// queue; the QoS 2 message past PUBREC is the broker's already.
    @Test func noSessionResendsAsNewMessages() {
        var machine = machineWithOpenExchanges(window: 10)
        let actions = machine.connect(sessionPresent: false)
        #expect(actions.published.map(\.topic) == ["a"])
        #expect(actions.published.allSatisfy { !$0.dup })
        #expect(!actions.sent.contains { if case .pubrel = $0 { return true } else { return false } })
        #expect(machine.inFlight.count == 1)
        // Callers of a and b are still waiting for the new acknowledgements.
        let ids = actions.published.compactMap(\.packetID)
        let ack = machine.received(.puback(PublishAckPacket(packetID: ids[0])), now: start)
        #expect(ack.completions == [request(1): .published])
        #expect(ack.published.map(\.topic) == ["b"])
        // b past PUBREC: the suspects are through, d follows at once.
        let rest = machine.received(.pubrec(PublishAckPacket(packetID: ack.published[0].packetID ?? 0)), now: start)
        #expect(rest.published.map(\.topic) == ["d"])
    }

    @Test func cleanStartNeverTrustsSessionPresent() {
        var machine = makeMachine(cleanStart: true)
        machine.connect()
        _ = machine.publish(message("a"), 1)
        _ = machine.connectionClosed()
        let actions = machine.connect(sessionPresent: true)
        #expect(actions.first == .connected(sessionPresent: false))
        #expect(actions.published.map(\.dup) == [false])
    }

    /// QoS 2 completes across reconnects: PUBREL again, then PUBCOMP frees the slot.
    @Test func pubRelFlowCompletesAfterReconnect() {
        var machine = makeMachine(window: 1)
        machine.connect()
        _ = machine.publish(message("q2", qos: .exactlyOnce), 1)
        _ = machine.publish(message("after"), 2)
        #expect(machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start).completions == [request(1): .published])
        _ = machine.connectionClosed()
        let reconnect = machine.connect(sessionPresent: true)
        #expect(reconnect.sent == [.pubrel(PublishAckPacket(packetID: 1))])
        let complete = machine.received(.pubcomp(PublishAckPacket(packetID: 1)), now: start)
        #expect(complete.published.map(\.topic) == ["after"])
    }

    @Test func duplicatePubRecIsAnsweredWithPubRelAgain() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("q2", qos: .exactlyOnce), 1)
        _ = machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start)
        let again = machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start)
        #expect(again.sent == [.pubrel(PublishAckPacket(packetID: 1))])
        #expect(again.completions.isEmpty)
    }

    @Test func connAckRefusalIsReportedInWords() {
        var machine = makeMachine()
        _ = machine.connectionOpened(now: start)
        let actions = machine.received(.connack(ConnAckPacket(reasonCode: .notAuthorized)), now: start)
        let reason = UplinkError.connectionRefused(code: .notAuthorized, version: .v5)
        #expect(actions.closeReason == .some(reason))
        #expect(reason.description == "broker refused the connection: not authorized (0x87)")
    }

    @Test func connAckRefusalIn311UsesTheReturnCodeNames() {
        var machine = makeMachine(version: .v3_1_1)
        _ = machine.connectionOpened(now: start)
        let actions = machine.received(.connack(ConnAckPacket(reasonCode: MQTTReasonCode(4))), now: start)
        guard case .some(.some(let reason)) = actions.closeReason else {
            Issue.record("no close")
            return
        }
        #expect(reason.description == "broker refused the connection: bad user name or password (0x04)")
    }
}

@Suite struct AssignedClientIdentifierTests {
    /// MQTT 5.0 §3.2.2.3.7: the assigned id is used from then on, so the session can be found again.
    @Test func assignedIdentifierIsKeptForTheNextConnection() {
        var machine = UplinkStateMachine(
            settings: .init(
                connect: ConnectPacket(version: .v5, clientID: "", cleanStart: false),
                inFlightWindow: 4,
                connectTimeout: .seconds(5),
                endpoint: "test:1883"
            )
        )
        _ = machine.connectionOpened(now: start)
        var properties = MQTTProperties()
        properties.assignedClientIdentifier = "auto-1234"
        _ = machine.received(.connack(ConnAckPacket(properties: properties)), now: start)
        _ = machine.connectionClosed()
        let reconnect = machine.connectionOpened(now: start)
        guard case .connect(let connect)? = reconnect.sent.first else {
            Issue.record("no CONNECT in \(reconnect)")
            return
        }
        #expect(connect.clientID == "auto-1234")
    }
}
