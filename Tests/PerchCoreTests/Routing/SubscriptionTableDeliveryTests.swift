import MQTTCodec
import PerchCore
import Testing

/// Downlink matching: who gets a message, under which local topic, at which QoS.
@Suite("Subscription table: deliveries")
struct SubscriptionTableDeliveryTests {
    private typealias Delivery = SubscriptionTable<String>.Delivery

    private func sorted(_ deliveries: [Delivery]) -> [Delivery] {
        deliveries.sorted { $0.subscriber < $1.subscriber }
    }

    @Test("every subscriber whose filter matches gets the message, others not")
    func matchingSubscribers() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("exact", to: try TopicFilter("cmd/led"), qos: .exactlyOnce)
        _ = try table.subscribe("single", to: try TopicFilter("cmd/+"), qos: .exactlyOnce)
        _ = try table.subscribe("multi", to: try TopicFilter("#"), qos: .exactlyOnce)
        _ = try table.subscribe("other", to: try TopicFilter("cmd/fan"), qos: .exactlyOnce)
        #expect(sorted(table.deliveries(for: "cmd/led", qos: .atLeastOnce)) == [
            Delivery(subscriber: "exact", localTopic: "cmd/led", qos: .atLeastOnce),
            Delivery(subscriber: "multi", localTopic: "cmd/led", qos: .atLeastOnce),
            Delivery(subscriber: "single", localTopic: "cmd/led", qos: .atLeastOnce),
        ])
        #expect(table.deliveries(for: "status", qos: .atMostOnce).map(\.subscriber) == ["multi"])
    }

    @Test("the delivery QoS is the lower of the message's and the subscription's")
    func qosIsMinimum() throws {
        var table = SubscriptionTable<String>()
        let filter = try TopicFilter("t")
        _ = try table.subscribe("q0", to: filter, qos: .atMostOnce)
        _ = try table.subscribe("q1", to: filter, qos: .atLeastOnce)
        _ = try table.subscribe("q2", to: filter, qos: .exactlyOnce)
        #expect(sorted(table.deliveries(for: "t", qos: .atLeastOnce)).map(\.qos) == [.atMostOnce, .atLeastOnce, .atLeastOnce])
        #expect(sorted(table.deliveries(for: "t", qos: .exactlyOnce)).map(\.qos) == [.atMostOnce, .atLeastOnce, .exactlyOnce])
        #expect(sorted(table.deliveries(for: "t", qos: .atMostOnce)).map(\.qos) == [.atMostOnce, .atMostOnce, .atMostOnce])
    }

    @Test("§3.3.4: overlapping filters give one delivery, at the highest matching QoS")
    func overlappingFiltersDeliverOnce() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/"))
        _ = try table.subscribe("node", to: try TopicFilter("cmd/#"), qos: .atMostOnce)
        _ = try table.subscribe("node", to: try TopicFilter("cmd/+"), qos: .exactlyOnce)
        _ = try table.subscribe("node", to: try TopicFilter("cmd/led"), qos: .atLeastOnce)
        _ = try table.subscribe("peer", to: try TopicFilter("cmd/led"), qos: .atLeastOnce)
        _ = try table.subscribe("peer", to: try TopicFilter("+/led"), qos: .atMostOnce)
        #expect(sorted(table.deliveries(for: "site/cmd/led", qos: .exactlyOnce)) == [
            Delivery(subscriber: "node", localTopic: "cmd/led", qos: .exactlyOnce),
            Delivery(subscriber: "peer", localTopic: "cmd/led", qos: .atLeastOnce),
        ])
        // Only cmd/# matches here: its QoS 0 applies even to a QoS 2 message.
        #expect(table.deliveries(for: "site/cmd/led/blink", qos: .exactlyOnce) == [
            Delivery(subscriber: "node", localTopic: "cmd/led/blink", qos: .atMostOnce)
        ])
    }

    @Test("[MQTT-4.7.2-1]: $-topics are not matched by filters starting with # or +")
    func dollarTopics() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("multi", to: try TopicFilter("#"), qos: .atMostOnce)
        _ = try table.subscribe("single", to: try TopicFilter("+/broker"), qos: .atMostOnce)
        _ = try table.subscribe("sys", to: try TopicFilter("$SYS/#"), qos: .atMostOnce)
        #expect(table.deliveries(for: "$SYS/broker", qos: .atMostOnce).map(\.subscriber) == ["sys"])
        #expect(sorted(table.deliveries(for: "x/broker", qos: .atMostOnce)).map(\.subscriber) == ["multi", "single"])
    }

    @Test("the $ rule holds for the local topic too, though site/# upstream starts with a literal")
    func dollarRuleBehindMountpoint() throws {
        var table = SubscriptionTable<String>(mountpoint: try Mountpoint("site/"))
        _ = try table.subscribe("multi", to: try TopicFilter("#"), qos: .atMostOnce)
        _ = try table.subscribe("single", to: try TopicFilter("+/x"), qos: .atMostOnce)
        _ = try table.subscribe("literal", to: try TopicFilter("$local/x"), qos: .atMostOnce)
        #expect(table.deliveries(for: "site/$local/x", qos: .atMostOnce).map(\.subscriber) == ["literal"])
        #expect(sorted(table.deliveries(for: "site/a/x", qos: .atMostOnce)).map(\.subscriber) == ["multi", "single"])
    }

    @Test("topics that are not valid topic names are delivered to nobody")
    func invalidTopics() throws {
        var table = SubscriptionTable<String>()
        _ = try table.subscribe("multi", to: try TopicFilter("#"), qos: .atMostOnce)
        #expect(table.deliveries(for: "", qos: .atMostOnce).isEmpty)
        #expect(table.deliveries(for: "a/+", qos: .atMostOnce).isEmpty)
        #expect(table.deliveries(for: "a/#", qos: .atMostOnce).isEmpty)
    }

    @Test("an unsubscribed or removed subscriber gets nothing more")
    func afterUnsubscribe() throws {
        var table = SubscriptionTable<String>()
        let filter = try TopicFilter("cmd/+")
        _ = try table.subscribe("a", to: filter, qos: .atMostOnce)
        _ = try table.subscribe("b", to: filter, qos: .atMostOnce)
        _ = try table.subscribe("b", to: try TopicFilter("cmd/led"), qos: .atMostOnce)
        _ = table.unsubscribe("a", from: filter)
        #expect(table.deliveries(for: "cmd/led", qos: .atMostOnce).map(\.subscriber) == ["b"])
        _ = table.removeAll(for: "b")
        #expect(table.deliveries(for: "cmd/led", qos: .atMostOnce).isEmpty)
    }

    @Test("deliveries(for: Message) uses the message's topic and QoS")
    func forMessage() throws {
        var table = SubscriptionTable<Int>(mountpoint: try Mountpoint("gw/"))
        _ = try table.subscribe(17, to: try TopicFilter("gpio/+/set"), qos: .atLeastOnce)
        let message = Message(topic: "gw/gpio/relay1/set", text: "ON", qos: .exactlyOnce)
        #expect(table.deliveries(for: message) == [
            SubscriptionTable<Int>.Delivery(subscriber: 17, localTopic: "gpio/relay1/set", qos: .atLeastOnce)
        ])
    }
}
