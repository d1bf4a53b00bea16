import PerchTestKit
import MQTTCodec
import PerchCore
import Testing

/// Random sequences of subscribe, unsubscribe and removeAll (seeded, so every run
/// checks the same sequences) against two models: the broker, which sees only the
/// emitted changes, and a plain list of local subscriptions.
@Suite("Subscription table: random sequences against a model")
struct SubscriptionTablePropertyTests {
    private static let subscribers = ["s0", "s1", "s2", "s3", "s4"]
    private static let filters = ["cmd/led", "cmd/+", "cmd/#", "#", "+/led", "+", "$SYS/#", "a/b", "a/+", "led"]
    /// `nil` uses the table's mountpoint (`site/`); the others override it, and
    /// `site/` + `cmd/led` collides with `""` + `site/cmd/led`-like upstream filters.
    private static let mountpoints: [String?] = [nil, nil, "site/", "other/", ""]
    private static let topicLevels = ["site", "other", "cmd", "led", "a", "b", "$SYS", "x"]

    /// One local subscription as the model keeps it.
    private struct ModelSubscription {
        var filter: TopicFilter
        var mountpoint: Mountpoint
        var qos: MQTTQoS
    }

    /// The model's key: a subscription is identified by subscriber and upstream filter.
    private struct ModelKey: Hashable {
        var subscriber: String
        var upstream: String
    }

    @Test("emitted changes keep the broker at exactly the wanted filters and QoS", arguments: [21, 22, 23] as [UInt64])
    func brokerFollowsTable(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let tableMountpoint = try Mountpoint("site/")
        var table = SubscriptionTable<String>(mountpoint: tableMountpoint)
        var local: [ModelKey: ModelSubscription] = [:]
        var broker: [String: MQTTQoS] = [:]
        var statistics = (subscribes: 0, unsubscribes: 0, downgrades: 0, deliveries: 0, refused: 0)

        for step in 0..<2_000 {
            let subscriber = Self.subscribers.randomElement(using: &random) ?? "s0"
            let changes: [UpstreamSubscriptionChange]
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6:
                let filter = try TopicFilter(Self.filters.randomElement(using: &random) ?? "#")
                let mountpoint = try (Self.mountpoints.randomElement(using: &random) ?? nil).map { try Mountpoint($0) }
                let qos = MQTTQoS(rawValue: UInt8.random(in: 0...2, using: &random)) ?? .atMostOnce
                let effective = mountpoint ?? tableMountpoint
                let key = ModelKey(subscriber: subscriber, upstream: effective.prefix + filter.value)
                do {
                    changes = try table.subscribe(subscriber, to: filter, qos: qos, mountpoint: mountpoint)
                    local[key] = ModelSubscription(filter: filter, mountpoint: effective, qos: qos)
                } catch {
                    // Only gluing a wildcard to a mountpoint without "/" can fail, and none here lacks one.
                    Issue.record("subscribe refused: \(error)")
                    statistics.refused += 1
                    continue
                }
            case 6..<9:
                // Mostly unsubscribe something the subscriber holds, sometimes something it does not.
                let held = local.filter { $0.key.subscriber == subscriber }.map(\.value)
                    .sorted { $0.mountpoint.prefix + $0.filter.value < $1.mountpoint.prefix + $1.filter.value }
                if let chosen = held.randomElement(using: &random), Bool.random(using: &random) || held.count > 2 {
                    changes = table.unsubscribe(subscriber, from: chosen.filter, mountpoint: chosen.mountpoint)
                    local[ModelKey(subscriber: subscriber, upstream: chosen.mountpoint.prefix + chosen.filter.value)] = nil
                } else {
                    let filter = try TopicFilter(Self.filters.randomElement(using: &random) ?? "#")
                    changes = table.unsubscribe(subscriber, from: filter)
                    local[ModelKey(subscriber: subscriber, upstream: tableMountpoint.prefix + filter.value)] = nil
                }
            default:
                changes = table.removeAll(for: subscriber)
                local = local.filter { $0.key.subscriber != subscriber }
            }

            for change in changes {
                switch change {
                case .subscribe(let filter, let qos):
                    // A SUBSCRIBE that changes nothing would be wasted on the uplink.
                    #expect(broker[filter.value] != qos, "step \(step): redundant SUBSCRIBE \(filter) \(qos)")
                    if let previous = broker[filter.value], previous > qos { statistics.downgrades += 1 }
                    broker[filter.value] = qos
                    statistics.subscribes += 1
                case .unsubscribe(let filter):
                    #expect(broker[filter.value] != nil, "step \(step): UNSUBSCRIBE of \(filter), not subscribed")
                    broker[filter.value] = nil
                    statistics.unsubscribes += 1
                }
            }

            var wanted: [String: MQTTQoS] = [:]
            for (key, subscription) in local {
                wanted[key.upstream] = max(wanted[key.upstream] ?? .atMostOnce, subscription.qos)
            }
            #expect(broker == wanted, "step \(step)")
            let restored = Dictionary(uniqueKeysWithValues: table.upstreamSubscriptions().map { ($0.filter.value, $0.qos) })
            #expect(restored == wanted, "step \(step)")
            #expect(table.subscriptionCount == local.count)
            #expect(table.subscriberCount == Set(local.keys.map(\.subscriber)).count)

            if step % 10 == 0 {
                for _ in 0..<5 {
                    let topic = Self.topic(&random)
                    let qos = MQTTQoS(rawValue: UInt8.random(in: 0...2, using: &random)) ?? .atMostOnce
                    let actual = table.deliveries(for: topic, qos: qos)
                    let expected = Self.referenceDeliveries(local, topic: topic, qos: qos)
                    #expect(actual.count == Set(actual.map(\.subscriber)).count, "\(topic): a subscriber twice")
                    #expect(Set(actual.map(\.subscriber)) == Set(expected.keys), "\(topic)")
                    for delivery in actual {
                        guard let best = expected[delivery.subscriber] else { continue }
                        #expect(delivery.qos == min(qos, best.qos), "\(topic) to \(delivery.subscriber)")
                        #expect(best.topics.contains(delivery.localTopic), "\(topic) to \(delivery.subscriber)")
                    }
                    statistics.deliveries += actual.count
                }
            }
        }
        // The sequence must exercise every kind of change, or the test proves little.
        #expect(statistics.subscribes > 200)
        #expect(statistics.unsubscribes > 100)
        #expect(statistics.downgrades > 20)
        #expect(statistics.deliveries > 100)
        #expect(statistics.refused == 0)
    }

    /// Deliveries worked out from the local view: strip each subscription's
    /// mountpoint, match its local filter, keep each subscriber's highest QoS and
    /// the local topics of the subscriptions at that QoS (with several mountpoints,
    /// two such subscriptions can see the topic differently; either is right).
    private static func referenceDeliveries(
        _ local: [ModelKey: ModelSubscription], topic: String, qos: MQTTQoS
    ) -> [String: (qos: MQTTQoS, topics: Set<String>)] {
        var best: [String: (qos: MQTTQoS, topics: Set<String>)] = [:]
        for (key, subscription) in local {
            let prefix = subscription.mountpoint.prefix
            guard topic.utf8.count > prefix.utf8.count, topic.utf8.starts(with: prefix.utf8) else { continue }
            let localTopic = String(decoding: topic.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
            guard subscription.filter.matches(localTopic) else { continue }
            switch best[key.subscriber] {
            case .some(let current) where current.qos > subscription.qos:
                continue
            case .some(let current) where current.qos == subscription.qos:
                best[key.subscriber]?.topics.insert(localTopic)
            default:
                best[key.subscriber] = (subscription.qos, [localTopic])
            }
        }
        return best
    }

    private static func topic(_ random: inout SplitMix64) -> String {
        let count = Int.random(in: 1...4, using: &random)
        return (0..<count).map { _ in topicLevels.randomElement(using: &random) ?? "x" }.joined(separator: "/")
    }
}
