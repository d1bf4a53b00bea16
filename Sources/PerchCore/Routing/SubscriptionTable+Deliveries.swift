import MQTTCodec

extension SubscriptionTable {
    /// One downlink message for one local subscriber.
    public struct Delivery: Sendable, Hashable {
        /// Who gets the message.
        public var subscriber: SubscriberID
        /// The topic with the mountpoint stripped, as the subscriber knows it.
        public var localTopic: String
        /// The QoS to deliver at: the lower of the message's and the subscriber's grant.
        public var qos: MQTTQoS

        /// A delivery of a message on `localTopic` to `subscriber` at `qos`.
        public init(subscriber: SubscriberID, localTopic: String, qos: MQTTQoS) {
            self.subscriber = subscriber
            self.localTopic = localTopic
            self.qos = qos
        }
    }

    /// Who gets a downlink message published upstream on `topic` at `qos`: one
    /// delivery per subscriber, however many of its filters match, at the lower of
    /// `qos` and the highest QoS among its matching subscriptions (MQTT 5.0 §3.3.4,
    /// overlapping subscriptions; MQTT 3.1.1 §3.3.5). The order is unspecified.
    ///
    /// `topic` is the upstream topic, mountpoint included. Each subscription's
    /// mountpoint is stripped to give the local topic; a topic that leaves nothing
    /// after it is not delivered. The `$` rule ([MQTT-4.7.2-1]) is applied to the
    /// local topic as well: with a mountpoint, the upstream filter `site/#` starts
    /// with a literal level, but the subscriber asked for `#`, which must not get
    /// `$SYS/x`.
    ///
    /// Cost: one `TopicFilter.matches` per distinct upstream filter, with nothing
    /// allocated on a miss. A trie over filter levels (Mosquitto's subscription
    /// tree) would make this proportional to the topic's depth and the matching
    /// filters instead; worth it only when a gateway holds thousands of distinct
    /// filters, which sensors subscribing to their own command topics rarely do.
    public func deliveries(for topic: String, qos: MQTTQoS) -> [Delivery] {
        var result: [Delivery] = []
        // Where each subscriber's delivery is and the QoS of the subscription it
        // came through. Only built when a second filter matches, since only then
        // can a subscriber appear twice; a single match allocates only `result`.
        var positions: [SubscriberID: (position: Int, granted: MQTTQoS)]?
        var firstMatch: Int?
        for index in entries.indices where entries[index].filter.matches(topic) {
            if let firstMatch, positions == nil {
                positions = Self.positions(of: result, in: entries[firstMatch])
            }
            firstMatch = firstMatch ?? index
            for (subscriber, subscription) in entries[index].subscribers {
                if let known = positions?[subscriber] {
                    // Already delivered through another filter: keep one delivery,
                    // through the subscription with the higher QoS.
                    guard subscription.qos > known.granted,
                        let localTopic = Self.localTopic(of: topic, for: subscription) else { continue }
                    result[known.position].qos = Swift.min(qos, subscription.qos)
                    result[known.position].localTopic = localTopic
                    positions?[subscriber] = (known.position, subscription.qos)
                    continue
                }
                guard let localTopic = Self.localTopic(of: topic, for: subscription) else { continue }
                positions?[subscriber] = (result.count, subscription.qos)
                result.append(Delivery(subscriber: subscriber, localTopic: localTopic, qos: Swift.min(qos, subscription.qos)))
            }
        }
        return result
    }

    /// The positions of the deliveries made through the first matching entry.
    private static func positions(
        of result: [Delivery],
        in entry: Entry
    ) -> [SubscriberID: (position: Int, granted: MQTTQoS)] {
        var positions: [SubscriberID: (position: Int, granted: MQTTQoS)] = [:]
        positions.reserveCapacity(result.count * 2)
        for (position, delivery) in result.enumerated() {
            // invariant: every delivery so far came through `entry`, so the subscriber is in it.
            let granted = entry.subscribers[delivery.subscriber]?.qos ?? .exactlyOnce
            positions[delivery.subscriber] = (position, granted)
        }
        return positions
    }

    /// Who gets `message` (its topic is the upstream one): see ``deliveries(for:qos:)``.
    public func deliveries(for message: Message) -> [Delivery] {
        deliveries(for: message.topic, qos: message.qos)
    }

    /// The topic as `subscription` sees it, or `nil` when it must not get it.
    private static func localTopic(of topic: String, for subscription: LocalSubscription) -> String? {
        guard let local = subscription.mountpoint.localTopic(for: topic) else { return nil }
        // [MQTT-4.7.2-1], for the subscriber's own filter.
        if subscription.startsWithWildcard, local.utf8.first == UInt8(ascii: "$") { return nil }
        return local
    }
}
