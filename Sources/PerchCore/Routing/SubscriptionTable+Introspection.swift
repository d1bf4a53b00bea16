import MQTTCodec

extension SubscriptionTable {
    /// Every subscription the broker must hold, ordered by filter: what the uplink
    /// sends again after a reconnect without a kept session.
    public func upstreamSubscriptions() -> [UpstreamSubscription] {
        entries.compactMap { entry in
            entry.maximumQoS.map { UpstreamSubscription(filter: entry.filter, qos: $0) }
        }
        .sorted { FilterKey.precedes($0.filter, $1.filter) }
    }

    /// The local subscriptions of `subscriber`, ordered by filter (empty when it has
    /// none): what to persist for a client that connected with clean session off.
    public func subscriptions(of subscriber: SubscriberID) -> [LocalSubscription] {
        guard let filters = filtersBySubscriber[subscriber] else { return [] }
        return filters.compactMap { key in
            entryIndex[key].flatMap { entries[$0].subscribers[subscriber] }
        }
        .sorted { FilterKey.precedes($0.filter, $1.filter) }
    }

    /// How many local subscribers want the upstream `filter` (mountpoint included).
    public func subscriberCount(forUpstream filter: TopicFilter) -> Int {
        entryIndex[FilterKey(filter: filter)].map { entries[$0].subscribers.count } ?? 0
    }

    /// How many distinct filters are subscribed upstream.
    public var upstreamFilterCount: Int { entries.count }

    /// How many local subscribers hold at least one subscription.
    public var subscriberCount: Int { filtersBySubscriber.count }

    /// How many (subscriber, filter) subscriptions there are in all.
    public var subscriptionCount: Int {
        filtersBySubscriber.values.reduce(0) { $0 + $1.count }
    }

    /// True when nobody is subscribed to anything.
    public var isEmpty: Bool { entries.isEmpty }
}
