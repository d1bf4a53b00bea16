import MQTTCodec
import NIOCore
import Testing

@testable import Uplink
import PerchCore

@Suite struct SubscriptionTests {
    @Test func subscribeWaitsForTheConnectionThenCompletesWithGrantedQoS() {
        var machine = makeMachine()
        #expect(machine.subscribe("cmd/#", qos: .exactlyOnce, request: request(1), now: start).isEmpty)
        let actions = machine.connect()
        let sub = SubscribePacket(packetID: 1, subscriptions: [.init(topicFilter: "cmd/#", qos: .exactlyOnce)])
        #expect(actions.sent == [.subscribe(sub)])
        let ack = machine.received(.suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1])), now: start)
        #expect(ack.completions == [request(1): .subscribed(.atLeastOnce)])
    }

    @Test func refusedSubscriptionIsForgotten() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.subscribe("secret/#", qos: .atLeastOnce, request: request(1), now: start)
        let ack = machine.received(.suback(SubAckPacket(packetID: 1, reasonCodes: [.notAuthorized])), now: start)
        #expect(ack.completions == [request(1): .failed(.subscriptionRefused(filter: "secret/#", code: .notAuthorized))])
        #expect(machine.subscriptions.isEmpty)
    }

    @Test func restoredAfterReconnectWithoutSession() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.subscribe("a/+", qos: .atLeastOnce, request: request(1), now: start)
        _ = machine.subscribe("b/#", qos: .atMostOnce, request: request(2), now: start)
        _ = machine.received(.suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1])), now: start)
        _ = machine.received(.suback(SubAckPacket(packetID: 2, reasonCodes: [.success])), now: start)
        _ = machine.connectionClosed()

        let actions = machine.connect(sessionPresent: false)
        guard case .subscribe(let restore)? = actions.sent.first else {
            Issue.record("no SUBSCRIBE in \(actions)")
            return
        }
        #expect(restore.subscriptions.map(\.topicFilter) == ["a/+", "b/#"])
        #expect(restore.subscriptions.map(\.qos) == [.atLeastOnce, .atMostOnce])
        // The uplink's own restoration completes no caller.
        let ack = machine.received(.suback(SubAckPacket(packetID: restore.packetID, reasonCodes: [.grantedQoS1, .success])), now: start)
        #expect(ack.completions.isEmpty)
    }

    @Test func notRestoredWhenTheSessionIsPresent() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.subscribe("a/+", qos: .atLeastOnce, request: request(1), now: start)
        _ = machine.received(.suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1])), now: start)
        _ = machine.connectionClosed()
        #expect(machine.connect(sessionPresent: true).sent.isEmpty)
    }

    @Test func unacknowledgedSubscribeIsSentAgainOnReconnect() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.subscribe("x", qos: .atLeastOnce, request: request(1), now: start)
        _ = machine.connectionClosed()
        let actions = machine.connect(sessionPresent: true)
        guard case .subscribe(let again)? = actions.sent.first else {
            Issue.record("no SUBSCRIBE in \(actions)")
            return
        }
        #expect(again.subscriptions.map(\.topicFilter) == ["x"])
        let ack = machine.received(.suback(SubAckPacket(packetID: again.packetID, reasonCodes: [.grantedQoS1])), now: start)
        #expect(ack.completions == [request(1): .subscribed(.atLeastOnce)])
    }

    @Test func unsubscribeForgetsTheFilter() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.subscribe("x", qos: .atLeastOnce, request: request(1), now: start)
        _ = machine.received(.suback(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1])), now: start)
        let actions = machine.unsubscribe("x", request: request(2), now: start)
        #expect(actions.sent == [.unsubscribe(UnsubscribePacket(packetID: 2, topicFilters: ["x"]))])
        let ack = machine.received(.unsuback(UnsubAckPacket(packetID: 2, reasonCodes: [.success])), now: start)
        #expect(ack.completions == [request(2): .unsubscribed])
        _ = machine.connectionClosed()
        #expect(machine.connect(sessionPresent: false).sent.isEmpty)
    }

    /// The uplink checks filters with PerchCore's one set of topic rules.
    @Test func topicFilterRules() {
        #expect((try? TopicFilter("a/+/c")) != nil)
        #expect((try? TopicFilter("#")) != nil)
        #expect((try? TopicFilter("a/#")) != nil)
        #expect((try? TopicFilter("a/#/c")) == nil)
        #expect((try? TopicFilter("a+")) == nil)
        #expect((try? TopicFilter("")) == nil)
        #expect((try? TopicName("a/b")) != nil)
        #expect((try? TopicName("a/+")) == nil)
    }
}
