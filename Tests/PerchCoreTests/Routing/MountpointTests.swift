import MQTTCodec
import PerchCore
import Testing

/// SPEC §2: downlink works through the mountpoint, added on subscribe and
/// stripped on delivery; the mountpoint is a plain string prefix.
@Suite("Subscription table: mountpoints")
struct MountpointTests {
    @Test("a mountpoint ending in / prefixes the upstream filter and is stripped on delivery")
    func slashTerminated() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/gw/"))
        let led = try TopicFilter("cmd/led")
        let upstream = try TopicFilter("site/gw/cmd/led")
        #expect(try table.subscribe("node", to: led, qos: .atLeastOnce) == [.subscribe(upstream, qos: .atLeastOnce)])
        #expect(table.upstreamSubscriptions() == [UpstreamSubscription(filter: upstream, qos: .atLeastOnce)])
        #expect(table.deliveries(for: "site/gw/cmd/led", qos: .atLeastOnce) == [
            .init(subscriber: "node", localTopic: "cmd/led", qos: .atLeastOnce)
        ])
        #expect(table.deliveries(for: "cmd/led", qos: .atLeastOnce).isEmpty)
        #expect(table.deliveries(for: "site/other/cmd/led", qos: .atLeastOnce).isEmpty)
        #expect(table.unsubscribe("node", from: led) == [.unsubscribe(upstream)])
    }

    @Test("an empty mountpoint leaves filters and topics unchanged")
    func empty() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint(""))
        let filter = try TopicFilter("cmd/+")
        #expect(try table.subscribe("node", to: filter, qos: .atMostOnce) == [.subscribe(filter, qos: .atMostOnce)])
        #expect(table.deliveries(for: "cmd/led", qos: .exactlyOnce) == [
            .init(subscriber: "node", localTopic: "cmd/led", qos: .atMostOnce)
        ])
        #expect(Mountpoint.none.isEmpty)
        #expect(Mountpoint.none.localTopic(for: "cmd/led") == "cmd/led")
    }

    @Test("a mountpoint without a trailing / is a plain string prefix")
    func plainPrefix() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site-"))
        let filter = try TopicFilter("cmd/led")
        let upstream = try TopicFilter("site-cmd/led")
        #expect(try table.subscribe("node", to: filter, qos: .atMostOnce) == [.subscribe(upstream, qos: .atMostOnce)])
        #expect(table.deliveries(for: "site-cmd/led", qos: .atMostOnce).map(\.localTopic) == ["cmd/led"])
    }

    @Test("a wildcard that prefixing would glue to the mountpoint is refused, the table unchanged")
    func gluedWildcardRefused() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site"))
        let filter = try TopicFilter("#")
        #expect(throws: RoutingError.invalidUpstreamFilter("site#", .misplacedWildcard)) {
            try table.subscribe("node", to: filter, qos: .atMostOnce)
        }
        #expect(table.isEmpty)
        #expect(table.subscriberCount == 0)
        #expect(table.unsubscribe("node", from: filter) == [])
    }

    @Test("a filter that the mountpoint makes longer than 65,535 bytes is refused (MQTT 5.0 §1.5.4)")
    func tooLongUpstreamFilter() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/"))
        let longest = try TopicFilter(String(repeating: "x", count: Int(UInt16.max)))
        #expect(throws: RoutingError.self) { try table.subscribe("node", to: longest, qos: .atMostOnce) }
        #expect(table.isEmpty)
    }

    @Test("a mountpoint holding a wildcard or U+0000 is refused")
    func invalidMountpoints() {
        #expect(throws: RoutingError.invalidMountpoint("site/+/", .wildcardInTopicName)) { try Mountpoint("site/+/") }
        #expect(throws: RoutingError.invalidMountpoint("site/#", .wildcardInTopicName)) { try Mountpoint("site/#") }
        #expect(throws: RoutingError.invalidMountpoint("a\u{0}", .containsNull)) { try Mountpoint("a\u{0}") }
    }

    @Test("site/# also matches site, which leaves no local topic and is not delivered")
    func parentLevelOfMountpoint() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/"))
        _ = try table.subscribe("node", to: try TopicFilter("#"), qos: .atMostOnce)
        #expect(table.deliveries(for: "site", qos: .atMostOnce).isEmpty)
        #expect(table.deliveries(for: "site/", qos: .atMostOnce).isEmpty)
        #expect(table.deliveries(for: "site/x", qos: .atMostOnce).map(\.localTopic) == ["x"])
        #expect(table.deliveries(for: "site//", qos: .atMostOnce).map(\.localTopic) == ["/"])
    }

    @Test("a per-client mountpoint (resolved ${clientid}) overrides the table's")
    func perSubscriberMountpoint() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/"))
        let led = try TopicFilter("cmd/led")
        let forA = try Mountpoint("site/a/")
        let forB = try Mountpoint("site/b/")
        let upstreamA = try TopicFilter("site/a/cmd/led")
        let upstreamB = try TopicFilter("site/b/cmd/led")
        #expect(try table.subscribe("a", to: led, qos: .atMostOnce, mountpoint: forA) == [.subscribe(upstreamA, qos: .atMostOnce)])
        #expect(try table.subscribe("b", to: led, qos: .atMostOnce, mountpoint: forB) == [.subscribe(upstreamB, qos: .atMostOnce)])
        #expect(table.deliveries(for: "site/a/cmd/led", qos: .atMostOnce) == [
            .init(subscriber: "a", localTopic: "cmd/led", qos: .atMostOnce)
        ])
        // Unsubscribing under the table's mountpoint names another upstream filter.
        #expect(table.unsubscribe("a", from: led) == [])
        #expect(table.unsubscribe("a", from: led, mountpoint: forA) == [.unsubscribe(upstreamA)])
    }

    @Test("two mountpoints that give the same upstream filter share one upstream subscription")
    func collidingMountpoints() throws {
        var table = SubscriptionTable<String>()
        let upstream = try TopicFilter("a/b/c")
        #expect(try table.subscribe("x", to: try TopicFilter("b/c"), qos: .atMostOnce, mountpoint: try Mountpoint("a/"))
            == [.subscribe(upstream, qos: .atMostOnce)])
        #expect(try table.subscribe("y", to: try TopicFilter("c"), qos: .atMostOnce, mountpoint: try Mountpoint("a/b/")) == [])
        let deliveries = table.deliveries(for: "a/b/c", qos: .atMostOnce).sorted { $0.subscriber < $1.subscriber }
        #expect(deliveries.map(\.localTopic) == ["b/c", "c"])
    }

    @Test("stripping compares bytes: a canonically equivalent prefix is not the mountpoint")
    func byteWiseStrip() throws {
        let mountpoint = try Mountpoint("caf\u{E9}/")  // é precomposed
        #expect(mountpoint.localTopic(for: "cafe\u{301}/x") == nil)  // e + combining acute
        #expect(mountpoint.localTopic(for: "caf\u{E9}/x") == "x")
        #expect(mountpoint.upstreamTopic(for: "x") == "caf\u{E9}/x")
        // A prefix ending inside a grapheme cluster is cut at the byte, not the Character.
        let unslashed = try Mountpoint("cafe")
        #expect(unslashed.localTopic(for: "cafe\u{301}/x").map { Array($0.utf8) } == Array("\u{301}/x".utf8))
    }
}
