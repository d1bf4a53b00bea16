import MQTTCodec
import PerchCore
import Testing

/// Upstream SUBSCRIBE/UNSUBSCRIBE follow the local subscriptions, counted per
/// upstream filter (SPEC §3), with the QoS at the highest anyone asked for.
@Suite("Subscription table: reference counting")
struct SubscriptionTableReferenceCountingTests {
    private let led: TopicFilter

    init() throws {
        led = try TopicFilter("cmd/led")
    }

    @Test("the first subscriber makes an upstream SUBSCRIBE, later ones at the same QoS make none")
    func firstSubscriberSubscribes() throws {
        var table = SubscriptionTable<String>()
        #expect(try table.subscribe("a", to: led, qos: .atLeastOnce) == [.subscribe(led, qos: .atLeastOnce)])
        #expect(try table.subscribe("b", to: led, qos: .atLeastOnce) == [])
        #expect(try table.subscribe("c", to: led, qos: .atMostOnce) == [])
        #expect(table.subscriberCount(forUpstream: led) == 3)
        #expect(table.upstreamFilterCount == 1)
        #expect(table.upstreamSubscriptions() == [UpstreamSubscription(filter: led, qos: .atLeastOnce)])
    }

    @Test("the last subscriber to leave makes an UNSUBSCRIBE, the others none")
    func lastSubscriberUnsubscribes() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("a", to: led, qos: .atMostOnce)
        _ = try table.subscribe("b", to: led, qos: .atMostOnce)
        #expect(table.unsubscribe("a", from: led) == [])
        #expect(table.subscriberCount(forUpstream: led) == 1)
        #expect(table.unsubscribe("b", from: led) == [.unsubscribe(led)])
        #expect(table.isEmpty)
        #expect(table.subscriberCount == 0)
        #expect(table.upstreamSubscriptions().isEmpty)
    }

    @Test("unsubscribing what was never subscribed changes nothing")
    func unsubscribeUnknown() throws {
        var table = SubscriptionTable<String>()
        #expect(table.unsubscribe("a", from: led) == [])
        _ = try table.subscribe("a", to: led, qos: .atMostOnce)
        #expect(table.unsubscribe("b", from: led) == [])
        let other = try TopicFilter("cmd/other")
        #expect(table.unsubscribe("a", from: other) == [])
        #expect(table.subscriberCount(forUpstream: led) == 1)
    }

    @Test("a subscriber asking for more than the current maximum re-subscribes at the higher QoS")
    func upgrade() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("a", to: led, qos: .atMostOnce)
        #expect(try table.subscribe("b", to: led, qos: .exactlyOnce) == [.subscribe(led, qos: .exactlyOnce)])
        #expect(try table.subscribe("c", to: led, qos: .atLeastOnce) == [])
    }

    @Test("when the subscriber holding the maximum leaves, the QoS drops to the next highest")
    func downgradeOnLeave() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("a", to: led, qos: .atMostOnce)
        _ = try table.subscribe("b", to: led, qos: .atLeastOnce)
        _ = try table.subscribe("c", to: led, qos: .exactlyOnce)
        #expect(table.unsubscribe("c", from: led) == [.subscribe(led, qos: .atLeastOnce)])
        #expect(table.unsubscribe("b", from: led) == [.subscribe(led, qos: .atMostOnce)])
        #expect(table.unsubscribe("a", from: led) == [.unsubscribe(led)])
    }

    @Test("two subscribers at the maximum: one leaving keeps it")
    func sharedMaximum() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("a", to: led, qos: .exactlyOnce)
        _ = try table.subscribe("b", to: led, qos: .exactlyOnce)
        _ = try table.subscribe("c", to: led, qos: .atMostOnce)
        #expect(table.unsubscribe("a", from: led) == [])
        #expect(table.upstreamSubscriptions() == [UpstreamSubscription(filter: led, qos: .exactlyOnce)])
    }

    @Test("§3.8.4: subscribing twice replaces the QoS and counts once")
    func duplicateSubscribe() throws {
        var table = SubscriptionTable<String>()
        #expect(try table.subscribe("a", to: led, qos: .atMostOnce) == [.subscribe(led, qos: .atMostOnce)])
        #expect(try table.subscribe("a", to: led, qos: .atMostOnce) == [])
        #expect(table.subscriberCount(forUpstream: led) == 1)
        #expect(table.subscriptionCount == 1)
        // Replacing upwards, then downwards, moves the upstream QoS both ways.
        #expect(try table.subscribe("a", to: led, qos: .exactlyOnce) == [.subscribe(led, qos: .exactlyOnce)])
        #expect(try table.subscribe("a", to: led, qos: .atLeastOnce) == [.subscribe(led, qos: .atLeastOnce)])
        // One unsubscribe undoes it: the second subscribe did not count twice.
        #expect(table.unsubscribe("a", from: led) == [.unsubscribe(led)])
        #expect(table.isEmpty)
    }

    @Test("a subscriber lowering its own QoS below another's leaves the upstream QoS alone")
    func replaceBelowOther() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("a", to: led, qos: .exactlyOnce)
        _ = try table.subscribe("b", to: led, qos: .atLeastOnce)
        #expect(try table.subscribe("a", to: led, qos: .atMostOnce) == [.subscribe(led, qos: .atLeastOnce)])
        #expect(try table.subscribe("a", to: led, qos: .atLeastOnce) == [])
    }

    @Test("filters are counted by their exact text: a/+ and a/b are two upstream subscriptions")
    func countedPerFilterString() throws {
        var table = SubscriptionTable<String>()
        let wildcard = try TopicFilter("a/+")
        let exact = try TopicFilter("a/b")
        #expect(try table.subscribe("x", to: wildcard, qos: .atMostOnce) == [.subscribe(wildcard, qos: .atMostOnce)])
        #expect(try table.subscribe("y", to: exact, qos: .atMostOnce) == [.subscribe(exact, qos: .atMostOnce)])
        #expect(table.unsubscribe("x", from: wildcard) == [.unsubscribe(wildcard)])
        #expect(table.upstreamSubscriptions() == [UpstreamSubscription(filter: exact, qos: .atMostOnce)])
    }

    @Test("removeAll drops every subscription of one subscriber, ordered by filter, and spares the others")
    func removeAll() throws {
        var table = SubscriptionTable<String>()
        let alone = try TopicFilter("cmd/alone")
        let shared = try TopicFilter("cmd/shared")
        let lowered = try TopicFilter("cmd/lowered")
        _ = try table.subscribe("gone", to: shared, qos: .atMostOnce)
        _ = try table.subscribe("gone", to: alone, qos: .atLeastOnce)
        _ = try table.subscribe("gone", to: lowered, qos: .exactlyOnce)
        _ = try table.subscribe("stays", to: shared, qos: .atMostOnce)
        _ = try table.subscribe("stays", to: lowered, qos: .atMostOnce)
        #expect(table.subscriberCount == 2)
        #expect(table.subscriptionCount == 5)

        #expect(table.removeAll(for: "gone") == [.unsubscribe(alone), .subscribe(lowered, qos: .atMostOnce)])
        #expect(table.subscriptions(of: "gone").isEmpty)
        #expect(table.subscriberCount == 1)
        #expect(table.subscriptionCount == 2)
        #expect(table.upstreamSubscriptions() == [
            UpstreamSubscription(filter: lowered, qos: .atMostOnce),
            UpstreamSubscription(filter: shared, qos: .atMostOnce),
        ])
        #expect(table.removeAll(for: "gone") == [])
        #expect(table.removeAll(for: "stays") == [.unsubscribe(lowered), .unsubscribe(shared)])
        #expect(table.isEmpty)
    }

    @Test("subscriptions(of:) lists what a subscriber asked for, for persisting clean-session-off clients")
    func subscriptionsOfSubscriber() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/"))
        let everything = try TopicFilter("z/#")
        _ = try table.subscribe("a", to: everything, qos: .atLeastOnce)
        _ = try table.subscribe("a", to: led, qos: .atMostOnce)
        _ = try table.subscribe("b", to: led, qos: .exactlyOnce)
        let listed = table.subscriptions(of: "a")
        #expect(listed.map(\.filter.value) == ["cmd/led", "z/#"])
        #expect(listed.map(\.qos) == [.atMostOnce, .atLeastOnce])
        #expect(listed.allSatisfy { $0.mountpoint.prefix == "site/" })
    }
}

/// Filters the broker tells apart, the table tells apart too.
@Suite("Subscription table: filter identity")
struct SubscriptionTableFilterIdentityTests {
    @Test("canonically equivalent but byte-wise different filters are two upstream subscriptions")
    func byteWiseIdentity() throws {
        var table = SubscriptionTable<String>()
        let precomposed = try TopicFilter("caf\u{E9}")
        let decomposed = try TopicFilter("cafe\u{301}")
        #expect(try table.subscribe("a", to: precomposed, qos: .atMostOnce).count == 1)
        #expect(try table.subscribe("b", to: decomposed, qos: .atMostOnce).count == 1)
        #expect(table.upstreamFilterCount == 2)
        #expect(table.deliveries(for: "cafe\u{301}", qos: .atMostOnce).map(\.subscriber) == ["b"])
        #expect(table.unsubscribe("a", from: precomposed).count == 1)
        #expect(table.upstreamSubscriptions().map { Array($0.filter.value.utf8) } == [Array("cafe\u{301}".utf8)])
    }
}
