import MQTTCodec
import MQTTSNCodec

/// Bringing the clients of an earlier run back (SPEC §3: registrations and
/// subscriptions survive a restart of Perch).
extension MQTTSNGateway {
    /// Takes back the clients of an earlier run, from the store: they count as
    /// connected (or asleep) from `now`, and their subscriptions are asked for upstream.
    ///
    /// A record of a disconnected clean-session-off client comes back disconnected.
    /// Live records beyond `maxClients` (the configuration shrank) come back
    /// disconnected too, or are forgotten when they had clean session on.
    public mutating func restore(_ records: [MQTTSNClientRecord<Peer>], now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {
        // Sorted so that which records fit under `maxClients` does not depend on the store's order.
        for record in records.sorted(by: { $0.clientID.utf8.lexicographicallyPrecedes($1.clientID.utf8) }) {
            if let existing = indexByClientID[record.clientID] {
                for change in subscriptions.removeAll(for: record.clientID) { actions.append(change.action()) }
                remove(existing)
            }
            let fits = statistics.clients < configuration.maxClients
            if !record.isDisconnected && !fits && record.cleanSession {
                actions.append(.forget(clientID: record.clientID))
                continue
            }
            var registry = record.registry
            // The file may predate a change to the configuration (TopicRegistry+Codable).
            registry.predefinedTopics = configuration.predefinedTopics
            guard let mountpoint = try? configuration.mountpoint.resolved(forClient: record.clientID) else {
                actions.append(.forget(clientID: record.clientID))
                continue
            }
            var session = MQTTSNSession<Peer, Instant>(clientID: record.clientID, mountpoint: mountpoint, peer: record.peer, registry: registry, now: now, connection: makeStamp())
            session.state = .disconnected
            session.cleanSession = record.cleanSession
            session.keepAliveSeconds = record.keepAliveSeconds
            session.sleepSeconds = record.sleepSeconds
            session.will = record.will
            let index = insert(session)
            restoreTopics(at: index)
            for subscription in record.subscriptions {
                guard let filter = try? TopicFilter(subscription.filter),
                    let qos = MQTTQoS(rawValue: min(subscription.qos, 2)),
                    let changes = try? subscriptions.subscribe(record.clientID, to: filter, qos: qos, mountpoint: mountpoint)
                else { continue }
                sessions[index].subscriptions[subscription.filter] = subscription
                for change in changes { actions.append(change.action()) }
            }
            if !record.isDisconnected && fits {
                setState(index, record.sleepSeconds == nil ? .active : .asleep)
                schedule(index)
            }
        }
    }

    /// Fills the upstream topic cache from the registry's acknowledged ids.
    private mutating func restoreTopics(at index: Int) {
        for (id, registration) in sessions[index].registry.registrations where registration.isAcknowledged {
            sessions[index].upstreamTopics[id] = sessions[index].mountpoint.upstreamTopic(for: registration.name)
        }
    }
}
