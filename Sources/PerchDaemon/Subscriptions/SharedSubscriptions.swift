import MQTTCodec

/// Reference-counts upstream subscriptions across the parts that subscribe:
/// the MQTT-SN gateway and the CoAP observers.
///
/// The uplink keeps one subscription per filter and no count (a second
/// SUBSCRIBE of a filter replaces the first, one UNSUBSCRIBE removes it), and
/// each server counts only its own clients. Without this layer a CoAP
/// observation ending would unsubscribe a filter an MQTT-SN client still
/// needs. SUBSCRIBE goes upstream for the first holder and whenever a holder
/// asks for a higher QoS than the one subscribed (MQTT 3.1.1 §3.8.4: the new
/// subscription replaces the old one); UNSUBSCRIBE goes for the last holder.
/// The QoS is not lowered while holders remain: the count does not say which
/// holder asked for what.
///
/// Upstream requests for one filter are carried out one at a time, in order;
/// each looks at the counts when its turn comes, so a subscribe and an
/// unsubscribe that race settle on what the counts say at the end.
actor SharedSubscriptions {
    private struct Entry {
        var holders = 0
        /// The highest QoS asked since the filter was last unsubscribed.
        var wantedQoS = MQTTQoS.atMostOnce
        /// The QoS subscribed upstream; `nil` while not subscribed.
        var subscribedQoS: MQTTQoS?
        /// What the broker granted for `subscribedQoS`.
        var grantedQoS = MQTTQoS.atMostOnce
    }

    private let upstream: any SubscriptionUpstream
    private var entries: [String: Entry] = [:]
    /// The last upstream request of each filter; the next one waits for it.
    private var tails: [String: Task<Void, Never>] = [:]

    /// Creates the layer over `upstream` (the uplink).
    init(upstream: any SubscriptionUpstream) {
        self.upstream = upstream
    }

    /// Adds a holder of `filter` and makes sure the upstream subscription has at
    /// least `qos`; returns the QoS granted for it (at most `qos`).
    ///
    /// A holder stays counted when the upstream refuses: its owner releases it
    /// with `unsubscribe` as for an accepted one, and the next `subscribe` tries
    /// the upstream again.
    func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS {
        var entry = entries[filter] ?? Entry()
        entry.holders += 1
        entry.wantedQoS = max(entry.wantedQoS, qos)
        entries[filter] = entry
        let granted = try await settle(filter)
        return min(granted ?? qos, qos)
    }

    /// Removes a holder of `filter`; the last one unsubscribes upstream. An
    /// unknown filter changes nothing.
    func unsubscribe(_ filter: String) async throws {
        guard var entry = entries[filter], entry.holders > 0 else { return }
        entry.holders -= 1
        entries[filter] = entry
        _ = try await settle(filter)
    }

    /// Holders of `filter`.
    func holders(of filter: String) -> Int {
        entries[filter]?.holders ?? 0
    }

    /// Brings the upstream in line with the counts of `filter` after the
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

    /// One upstream step for `filter`, from the counts as they are now.
    private func apply(_ filter: String) async throws -> MQTTQoS? {
        guard let entry = entries[filter] else { return nil }
        if entry.holders > 0 {
            if let subscribed = entry.subscribedQoS, subscribed >= entry.wantedQoS {
                return entry.grantedQoS
            }
            let qos = entry.wantedQoS
            let granted = try await upstream.subscribe(filter, qos: qos)
            // The entry cannot have gone: only this serialised step removes it.
            entries[filter]?.subscribedQoS = qos
            entries[filter]?.grantedQoS = granted
            return granted
        }
        if entry.subscribedQoS != nil {
            try await upstream.unsubscribe(filter)
        }
        if let current = entries[filter], current.holders > 0 {
            // A holder came while UNSUBSCRIBE was on its way: its own step subscribes again.
            entries[filter]?.subscribedQoS = nil
        } else {
            entries.removeValue(forKey: filter)
        }
        return nil
    }
}
