import MQTTCodec

/// The downlink subscriptions of every local subscriber (MQTT-SN clients, CoAP
/// observers, GPIO pins) and the upstream subscriptions they add up to, reference
/// counted per upstream filter (SPEC §3: one aggregated uplink for all clients).
///
/// A value with no I/O and no locks: its owner (an actor or an event loop) holds
/// it, calls `subscribe`, `unsubscribe` and `removeAll(for:)`, and sends the
/// returned ``UpstreamSubscriptionChange``s to the broker in order. On a downlink
/// message it asks ``deliveries(for:qos:)`` who gets it.
///
/// Mountpoints: subscribers give local filters (`cmd/led`); the table prefixes
/// them with the mountpoint to get the upstream filter (`site/gw/cmd/led`, SPEC
/// §2) and strips it again on delivery. The table's mountpoint applies unless a
/// call passes another one (a `${clientid}` mountpoint, resolved by the caller);
/// a subscription is then identified by its upstream filter, so unsubscribing
/// needs the same mountpoint as subscribing.
///
/// Reference counting is per identical upstream filter string, as the broker
/// sees it: `a/+` and `a/b` are two upstream subscriptions even though one
/// covers the other.
///
/// Retained messages are the owner's concern: a second subscriber to a filter
/// already held upstream causes no SUBSCRIBE, so the broker does not send it the
/// retained messages; and a SUBSCRIBE that only changes the QoS makes the broker
/// send them again to everyone behind that filter ([MQTT-3.8.4-3]; on MQTT 5
/// unless Retain Handling is 1, §3.8.3.1).
public struct SubscriptionTable<SubscriberID: Hashable & Sendable>: Sendable {
    /// One local subscriber's subscription as it asked for it.
    public struct LocalSubscription: Sendable, Hashable {
        /// The filter the subscriber gave, without the mountpoint.
        public var filter: TopicFilter
        /// The mountpoint that turns it into the upstream filter.
        public var mountpoint: Mountpoint
        /// The QoS the subscriber asked for, which the gateway grants as it is.
        public var qos: MQTTQoS
        /// Cached for the per-message path: the filter starts with `+` or `#`.
        let startsWithWildcard: Bool

        init(filter: TopicFilter, mountpoint: Mountpoint, qos: MQTTQoS) {
            self.filter = filter
            self.mountpoint = mountpoint
            self.qos = qos
            let first = filter.value.utf8.first
            startsWithWildcard = first == UInt8(ascii: "+") || first == UInt8(ascii: "#")
        }
    }

    /// One upstream filter and everyone who wants it.
    struct Entry: Sendable {
        let filter: TopicFilter
        var subscribers: [SubscriberID: LocalSubscription] = [:]
        /// How many subscribers asked for each QoS (index = raw value), so the
        /// maximum is found in O(1) when the subscriber holding it leaves.
        var countsByQoS: (Int, Int, Int) = (0, 0, 0)

        init(filter: TopicFilter) {
            self.filter = filter
        }

        /// The highest QoS anyone asked for; `nil` when nobody is left.
        var maximumQoS: MQTTQoS? {
            if countsByQoS.2 > 0 { return .exactlyOnce }
            if countsByQoS.1 > 0 { return .atLeastOnce }
            if countsByQoS.0 > 0 { return .atMostOnce }
            return nil
        }

        mutating func count(_ qos: MQTTQoS, by delta: Int) {
            switch qos {
            case .atMostOnce: countsByQoS.0 += delta
            case .atLeastOnce: countsByQoS.1 += delta
            case .exactlyOnce: countsByQoS.2 += delta
            }
        }
    }

    /// The mountpoint used when a call does not pass one.
    public let mountpoint: Mountpoint
    /// Upstream entries in a contiguous array, walked on every downlink message.
    var entries: [Entry] = []
    /// Where each upstream filter's entry is in `entries`.
    var entryIndex: [FilterKey: Int] = [:]
    /// The upstream filters each subscriber holds, for `removeAll(for:)`.
    var filtersBySubscriber: [SubscriberID: Set<FilterKey>] = [:]

    /// An empty table whose subscriptions go upstream under `mountpoint`.
    public init(mountpoint: Mountpoint = .none) {
        self.mountpoint = mountpoint
    }

    /// Subscribes `subscriber` to the local `filter` at `qos` and returns what must
    /// change upstream: a SUBSCRIBE when nobody wanted the upstream filter before,
    /// or when this raises (or, by replacing a subscriber's own maximum, lowers)
    /// the highest QoS; nothing otherwise.
    ///
    /// Subscribing again to the same filter replaces the QoS and counts once
    /// (MQTT 3.1.1 §3.8.4, MQTT 5.0 §3.8.4).
    /// - Throws: ``RoutingError/invalidUpstreamFilter(_:_:)`` when the mountpoint and
    ///   the filter together are not a valid filter; the table is then unchanged.
    public mutating func subscribe(
        _ subscriber: SubscriberID,
        to filter: TopicFilter,
        qos: MQTTQoS,
        mountpoint: Mountpoint? = nil
    ) throws(RoutingError) -> [UpstreamSubscriptionChange] {
        let mountpoint = mountpoint ?? self.mountpoint
        let upstream = try mountpoint.upstreamFilter(for: filter)
        let subscription = LocalSubscription(filter: filter, mountpoint: mountpoint, qos: qos)
        let key = FilterKey(filter: upstream)
        let index: Int
        if let existing = entryIndex[key] {
            index = existing
        } else {
            index = entries.count
            entries.append(Entry(filter: upstream))
            entryIndex[key] = index
        }
        let before = entries[index].maximumQoS
        if let replaced = entries[index].subscribers.updateValue(subscription, forKey: subscriber) {
            entries[index].count(replaced.qos, by: -1)
        }
        entries[index].count(qos, by: 1)
        filtersBySubscriber[subscriber, default: []].insert(key)
        let after = entries[index].maximumQoS
        guard let after, after != before else { return [] }
        return [.subscribe(upstream, qos: after)]
    }

    /// Removes `subscriber`'s subscription to the local `filter` and returns what
    /// must change upstream: an UNSUBSCRIBE when it was the last one, a SUBSCRIBE at
    /// the lower QoS when it held the highest; nothing if it was not subscribed.
    public mutating func unsubscribe(
        _ subscriber: SubscriberID,
        from filter: TopicFilter,
        mountpoint: Mountpoint? = nil
    ) -> [UpstreamSubscriptionChange] {
        // A filter that cannot be prefixed can never have been subscribed.
        guard let upstream = try? (mountpoint ?? self.mountpoint).upstreamFilter(for: filter) else { return [] }
        let key = FilterKey(filter: upstream)
        guard let change = remove(subscriber, from: key) else { return [] }
        if filtersBySubscriber[subscriber]?.remove(key) != nil, filtersBySubscriber[subscriber]?.isEmpty == true {
            filtersBySubscriber[subscriber] = nil
        }
        return change
    }

    /// Removes every subscription of `subscriber` (a client that is lost, or that
    /// disconnects or reconnects with clean session) and returns the upstream
    /// changes, ordered by filter so that the result is reproducible.
    public mutating func removeAll(for subscriber: SubscriberID) -> [UpstreamSubscriptionChange] {
        guard let keys = filtersBySubscriber.removeValue(forKey: subscriber) else { return [] }
        var changes: [UpstreamSubscriptionChange] = []
        for key in keys.sorted(by: { FilterKey.precedes($0.filter, $1.filter) }) {
            changes += remove(subscriber, from: key) ?? []
        }
        return changes
    }

    /// Removes one subscriber from one entry; `nil` when it was not there.
    /// Leaves `filtersBySubscriber` to the caller.
    private mutating func remove(
        _ subscriber: SubscriberID,
        from key: FilterKey
    ) -> [UpstreamSubscriptionChange]? {
        guard let index = entryIndex[key] else { return nil }
        let before = entries[index].maximumQoS
        guard let removed = entries[index].subscribers.removeValue(forKey: subscriber) else { return nil }
        entries[index].count(removed.qos, by: -1)
        guard let after = entries[index].maximumQoS else {
            removeEntry(at: index)
            return [.unsubscribe(key.filter)]
        }
        return after == before ? [] : [.subscribe(key.filter, qos: after)]
    }

    /// Swap-removes an entry so that `entries` stays contiguous.
    private mutating func removeEntry(at index: Int) {
        let key = FilterKey(filter: entries[index].filter)
        let last = entries.count - 1
        if index != last {
            entries.swapAt(index, last)
            entryIndex[FilterKey(filter: entries[index].filter)] = index
        }
        entries.removeLast()
        entryIndex[key] = nil
    }
}
