import MQTTCodec
@testable import PerchDaemon
import Testing

/// The reference count between the MQTT-SN gateway, the CoAP observers and the
/// uplink's one-subscription-per-filter.
@Suite("shared upstream subscriptions")
struct SharedSubscriptionsTests {
    @Test("the first holder subscribes, the last one unsubscribes")
    func firstAndLastHolder() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        #expect(try await shared.subscribe("site/gw/cmd", qos: .atLeastOnce) == .atLeastOnce)
        #expect(try await shared.subscribe("site/gw/cmd", qos: .atLeastOnce) == .atLeastOnce)
        try await shared.unsubscribe("site/gw/cmd")
        #expect(upstream.requests == [.subscribe("site/gw/cmd", .atLeastOnce)])
        #expect(await shared.holders(of: "site/gw/cmd") == 1)
        try await shared.unsubscribe("site/gw/cmd")
        #expect(upstream.requests == [.subscribe("site/gw/cmd", .atLeastOnce), .unsubscribe("site/gw/cmd")])
        #expect(await shared.holders(of: "site/gw/cmd") == 0)
    }

    @Test("a higher QoS subscribes again, a lower one does not; the QoS is not lowered while held")
    func qosUpgrade() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        _ = try await shared.subscribe("a/#", qos: .atMostOnce)
        _ = try await shared.subscribe("a/#", qos: .exactlyOnce)
        // Granted at most what was asked.
        #expect(try await shared.subscribe("a/#", qos: .atLeastOnce) == .atLeastOnce)
        try await shared.unsubscribe("a/#")
        try await shared.unsubscribe("a/#")
        #expect(upstream.requests == [.subscribe("a/#", .atMostOnce), .subscribe("a/#", .exactlyOnce)])
        try await shared.unsubscribe("a/#")
        #expect(upstream.requests.last == .unsubscribe("a/#"))
        // A fresh first holder starts from its own QoS again.
        _ = try await shared.subscribe("a/#", qos: .atMostOnce)
        #expect(upstream.requests.last == .subscribe("a/#", .atMostOnce))
    }

    @Test("an unsubscribe of an unknown filter changes nothing upstream")
    func unknownFilter() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        try await shared.unsubscribe("never")
        #expect(upstream.requests.isEmpty)
    }

    @Test("a refused subscribe keeps its holder and the next subscribe tries again")
    func refusedSubscribe() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        upstream.refuseNextSubscribe()
        await #expect(throws: RecordingSubscriptionUpstream.Refused.self) {
            try await shared.subscribe("t", qos: .atLeastOnce)
        }
        #expect(await shared.holders(of: "t") == 1)
        _ = try await shared.subscribe("t", qos: .atLeastOnce)
        #expect(upstream.requests == [.subscribe("t", .atLeastOnce), .subscribe("t", .atLeastOnce)])
        try await shared.unsubscribe("t")
        try await shared.unsubscribe("t")
        #expect(upstream.requests.last == .unsubscribe("t"))
    }

    @Test("an unsubscribe while the SUBSCRIBE is on its way follows it upstream")
    func unsubscribeDuringSubscribe() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        upstream.holdSubscribes()
        async let subscribed = shared.subscribe("x", qos: .atLeastOnce)
        await upstream.waitUntilHeld()
        async let unsubscribed: Void = shared.unsubscribe("x")
        upstream.release()
        _ = try await subscribed
        try await unsubscribed
        #expect(upstream.requests == [.subscribe("x", .atLeastOnce), .unsubscribe("x")])
        #expect(await shared.holders(of: "x") == 0)
    }

    @Test("concurrent holders of one filter: one SUBSCRIBE, and the requests end unsubscribed")
    func concurrentHolders() async throws {
        let upstream = RecordingSubscriptionUpstream()
        let shared = SharedSubscriptions(upstream: upstream)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { _ = try await shared.subscribe("f", qos: .atLeastOnce) }
            }
            try await group.waitForAll()
        }
        #expect(upstream.requests == [.subscribe("f", .atLeastOnce)])

        // Holders coming and going at once, each pair in order, in any interleaving.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    _ = try await shared.subscribe("f", qos: .atLeastOnce)
                    try await shared.unsubscribe("f")
                }
                group.addTask { try await shared.unsubscribe("f") }
            }
            try await group.waitForAll()
        }
        #expect(await shared.holders(of: "f") == 0)
        let requests = upstream.requests
        #expect(requests.last == .unsubscribe("f"), "\(requests)")
        // Subscribe and unsubscribe alternate: never two of a kind in a row.
        for (earlier, later) in zip(requests, requests.dropFirst()) {
            #expect(earlier != later, "\(requests)")
        }
    }
}
