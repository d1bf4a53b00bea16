import MQTTCodec

/// Combines the upstream subscriptions of the parts that subscribe (the
/// MQTT-SN gateway and the CoAP observers) into the uplink's one subscription
/// per filter.
///
/// The uplink keeps one subscription per filter and no count: a second
/// SUBSCRIBE of a filter replaces the first (MQTT 3.1.1 §3.8.4, MQTT 5.0
/// §3.8.4), one UNSUBSCRIBE removes it. Each part counts its own clients and
/// asks for a filter for its first client, again when the QoS its clients
/// need changes (MQTT-SN raises and lowers it), and lets it go after its last.
/// Without this layer a CoAP observation ending would unsubscribe a filter an
/// MQTT-SN client still needs. Here each filter has a set of holders, each
/// with the QoS it asked for last: SUBSCRIBE goes upstream at the highest of
/// them whenever that changes, UNSUBSCRIBE when the last holder lets go.
///
/// Upstream requests for one filter are carried out one at a time, in order;
/// each looks at the holders when its turn comes, so requests that race
/// settle on what the holders say at the end.
actor SharedSubscriptions {
    private struct Entry {
        /// Who holds the filter, with the QoS each asked for.
        var holders: [SubscriptionHolder: MQTTQoS] = [:]
        /// The QoS subscribed upstream; `nil` while not subscribed.
        var subscribedQoS: MQTTQoS?
        /// What the broker granted for `subscribedQoS`.
        var grantedQoS = MQTTQoS.atMostOnce

        var wantedQoS: MQTTQoS? { holders.values.max() }
    }

    private let upstream: any SubscriptionUpstream
    private var entries: [String: Entry] = [:]
    /// The last upstream request of each filter; the next one waits for it.
    private var tails: [String: Task<Void, Never>] = [:]

    /// Creates the layer over `upstream` (the uplink).
    init(upstream: any SubscriptionUpstream) {
        self.upstream = upstream
    }

    /// `holder` wants `filter` at `qos` (a first request, or a new QoS for a
    /// filter it holds); returns the QoS granted upstream, at most `qos`.
    ///
    /// A holder stays recorded when the upstream refuses: its owner lets go
    /// with `unsubscribe` as for an accepted filter, and the next request for
    /// the filter tries the upstream again.
    func subscribe(_ filter: String, qos: MQTTQoS, for holder: SubscriptionHolder) async throws -> MQTTQoS {
        entries[filter, default: Entry()].holders[holder] = qos
        let granted = try await settle(filter)
        return min(granted ?? qos, qos)
    }

    /// `holder` lets go of `filter`; the last holder unsubscribes upstream.
    /// A filter `holder` does not hold changes nothing.
    func unsubscribe(_ filter: String, for holder: SubscriptionHolder) async throws {
        guard entries[filter]?.holders.removeValue(forKey: holder) != nil else { return }
        _ = try await settle(filter)
    }

    /// The holders of `filter`.
    func holders(of filter: String) -> Set<SubscriptionHolder> {
        entries[filter].map { Set($0.holders.keys) } ?? []
    }

    /// Brings the upstream in line with the holders of `filter` after the
    /// requests before it; returns the granted QoS while subscribed.
    private func settle(_ filter: String) async throws -> MQTTQoS? {
        let previous = tails[filter]
        let request = Task<MQTTQoS?, any Error> {
            await previous?.value
            return try await self.apply(filter)
        }
        let tail = Task<Void, Never> { _ = try? await request.value }
        tails[filter] = tail
        defer {
            // Re-checked after the await: a later request may have taken the tail.
            if tails[filter] == tail { tails.removeValue(forKey: filter) }
        }
        return try await withTaskCancellationHandler {
            try await request.value
        } onCancel: {
            request.cancel()
        }
    }

    /// One upstream step for `filter`, from the holders as they are now.
    private func apply(_ filter: String) async throws -> MQTTQoS? {
        guard let entry = entries[filter] else { return nil }
        if let wanted = entry.wantedQoS {
            if entry.subscribedQoS == wanted { return entry.grantedQoS }
            let granted = try await upstream.subscribe(filter, qos: wanted)
            // The entry cannot have gone: only this serialised step removes it.
            entries[filter]?.subscribedQoS = wanted
            entries[filter]?.grantedQoS = granted
            return granted
        }
        if entry.subscribedQoS != nil {
            try await upstream.unsubscribe(filter)
        }
        if entries[filter]?.holders.isEmpty == false {
            // A holder came while UNSUBSCRIBE was on its way: its own step subscribes again.
            entries[filter]?.subscribedQoS = nil
        } else {
            entries.removeValue(forKey: filter)
        }
        return nil
    }
}
