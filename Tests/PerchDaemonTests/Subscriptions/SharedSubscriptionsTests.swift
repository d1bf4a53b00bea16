import MQTTCodec
@testable import PerchDaemon
import Testing

/// The MQTT-SN gateway and the CoAP observers over the uplink's
/// one-subscription-per-filter.
@Suite("shared upstream subscriptions")
struct SharedSubscriptionsTests {
    @Test("the first holder subscribes, the last one unsubscribes")
    func firstAndLastHolder() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        #expect(try await shared.subscribe("site/gw/cmd", qos: .atLeastOnce, for: .mqttsn) == .atLeastOnce)
        #expect(try await shared.subscribe("site/gw/cmd", qos: .atLeastOnce, for: .coap) == .atLeastOnce)
        try await shared.unsubscribe("site/gw/cmd", for: .coap)
        #expect(upstream.requests == [.subscribe("site/gw/cmd", .atLeastOnce)])
        #expect(await shared.holders(of: "site/gw/cmd") == [.mqttsn])
        try await shared.unsubscribe("site/gw/cmd", for: .mqttsn)
        #expect(upstream.requests == [.subscribe("site/gw/cmd", .atLeastOnce), .unsubscribe("site/gw/cmd")])
        #expect(await shared.holders(of: "site/gw/cmd").isEmpty)
    }

    @Test("the upstream QoS is the highest any holder asked for, raised and lowered with them")
    func qosFollowsHolders() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        _ = try await shared.subscribe("a/#", qos: .atMostOnce, for: .mqttsn)
        // Granted at most what was asked.
        #expect(try await shared.subscribe("a/#", qos: .atLeastOnce, for: .coap) == .atLeastOnce)
        // MQTT-SN raises its QoS, then lowers it again (its SubscriptionTable
        // sends a new SUBSCRIBE for each): the holder is the same.
        _ = try await shared.subscribe("a/#", qos: .exactlyOnce, for: .mqttsn)
        _ = try await shared.subscribe("a/#", qos: .atMostOnce, for: .mqttsn)
        try await shared.unsubscribe("a/#", for: .coap)
        #expect(upstream.requests == [
            .subscribe("a/#", .atMostOnce), .subscribe("a/#", .atLeastOnce), .subscribe("a/#", .exactlyOnce),
            .subscribe("a/#", .atLeastOnce), .subscribe("a/#", .atMostOnce),
        ])
        try await shared.unsubscribe("a/#", for: .mqttsn)
        #expect(upstream.requests.last == .unsubscribe("a/#"))
    }

    @Test("letting go of a filter not held changes nothing upstream")
    func unknownFilter() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        try await shared.unsubscribe("never", for: .coap)
        _ = try await shared.subscribe("held", qos: .atMostOnce, for: .mqttsn)
        try await shared.unsubscribe("held", for: .coap)
        #expect(upstream.requests == [.subscribe("held", .atMostOnce)])
    }

    @Test("a refused subscribe keeps its holder and the next request tries again")
    func refusedSubscribe() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        upstream.refuseNextSubscribe()
        await #expect(throws: RecordingSubscriptionUpstream.Refused.self) {
            try await shared.subscribe("t", qos: .atLeastOnce, for: .coap)
        }
        #expect(await shared.holders(of: "t") == [.coap])
        _ = try await shared.subscribe("t", qos: .atLeastOnce, for: .mqttsn)
        #expect(upstream.requests == [.subscribe("t", .atLeastOnce), .subscribe("t", .atLeastOnce)])
        try await shared.unsubscribe("t", for: .coap)
        try await shared.unsubscribe("t", for: .mqttsn)
        #expect(upstream.requests.last == .unsubscribe("t"))
    }

    @Test("an unsubscribe while the SUBSCRIBE is on its way follows it upstream")
    func unsubscribeDuringSubscribe() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        upstream.holdSubscribes()
        async let subscribed = shared.subscribe("x", qos: .atLeastOnce, for: .coap)
        await upstream.waitUntilHeld()
        async let unsubscribed: Void = shared.unsubscribe("x", for: .coap)
        upstream.release()
        _ = try await subscribed
        try await unsubscribed
        #expect(upstream.requests == [.subscribe("x", .atLeastOnce), .unsubscribe("x")])
        #expect(await shared.holders(of: "x").isEmpty)
    }

    @Test("both parts subscribing and unsubscribing one filter at once: it ends unsubscribed, never dropped while held")
    func concurrentHolders() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        // Each part sends its own requests in order, as the servers do; the two parts race.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for holder in [SubscriptionHolder.mqttsn, .coap] {
                group.addTask {
                    for _ in 0..<50 {
                        _ = try await shared.subscribe("f", qos: .atLeastOnce, for: holder)
                        try await shared.unsubscribe("f", for: holder)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await shared.holders(of: "f").isEmpty)
        let requests = upstream.requests
        #expect(requests.last == .unsubscribe("f"), "\(requests)")
        // Subscribe and unsubscribe alternate: never two of a kind in a row.
        for (earlier, later) in zip(requests, requests.dropFirst()) {
            #expect(earlier != later, "\(requests)")
        }

        // One part holding throughout: the other's comings and goings never unsubscribe.
        _ = try await shared.subscribe("g", qos: .atLeastOnce, for: .mqttsn)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<50 {
                    _ = try await shared.subscribe("g", qos: .atLeastOnce, for: .coap)
                    try await shared.unsubscribe("g", for: .coap)
                }
            }
            group.addTask {
                for _ in 0..<50 { _ = try await shared.subscribe("g", qos: .atLeastOnce, for: .mqttsn) }
            }
            try await group.waitForAll()
        }
        #expect(!upstream.requests.contains(.unsubscribe("g")))
        #expect(upstream.requests.filter { $0 == .subscribe("g", .atLeastOnce) }.count == 1)
        #expect(await shared.holders(of: "g") == [.mqttsn])
    }
}
