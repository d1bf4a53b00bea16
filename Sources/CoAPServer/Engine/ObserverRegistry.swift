/// Who observes which topic (RFC 7641), counted per topic so the upstream
/// subscription is made for the first observer and dropped after the last.
///
/// libcoap 4.3.1 keeps its own observer list but tells nobody when an entry
/// goes, so the engine mirrors it from what it does see: a GET with Observe=0
/// (register), a GET with Observe=1 (deregister, RFC 7641 §3.6) and the end of
/// a session (`COAP_EVENT_SERVER_SESSION_DEL`).
struct ObserverRegistry {
    /// One observation: the session (its address, valid while the session is)
    /// and the request token (RFC 7641 §3.1: the token identifies it).
    struct Key: Hashable {
        let session: UInt
        let token: [UInt8]
    }

    /// What the upstream subscription needs after a change.
    enum Change: Equatable {
        case none
        case subscribe(String)
        case unsubscribe(String)
    }

    private var topicsByKey: [Key: String] = [:]
    /// The resource each observation is on (its address), for `removeResource`.
    private var resourcesByKey: [Key: UInt] = [:]
    private var counts: [String: Int] = [:]

    /// Observations of every topic together.
    var total: Int { topicsByKey.count }

    /// Observers of `topic`.
    func count(of topic: String) -> Int { counts[topic, default: 0] }

    /// The topic `key` observes, if it is registered.
    func topic(of key: Key) -> String? { topicsByKey[key] }

    /// Records an observation; a re-registration (same key, RFC 7641 §4.1)
    /// or a notification's replayed request changes nothing.
    mutating func register(_ key: Key, topic: String, resource: UInt = 0) -> Change {
        guard topicsByKey[key] == nil else { return .none }
        topicsByKey[key] = topic
        resourcesByKey[key] = resource
        counts[topic, default: 0] += 1
        return counts[topic] == 1 ? .subscribe(topic) : .none
    }

    /// Forgets an observation; unknown keys change nothing.
    mutating func deregister(_ key: Key) -> Change {
        guard let topic = topicsByKey.removeValue(forKey: key) else { return .none }
        resourcesByKey.removeValue(forKey: key)
        return decrement(topic)
    }

    /// Forgets every observation of a session that ended; returns the topics
    /// left without observers.
    mutating func removeSession(_ session: UInt) -> [String] {
        remove(topicsByKey.keys.filter { $0.session == session })
    }

    /// Forgets every observation on a resource that is being deleted (an alias
    /// a reload removed); returns the topics left without observers.
    mutating func removeResource(_ resource: UInt) -> [String] {
        remove(resourcesByKey.filter { $0.value == resource }.map(\.key))
    }

    private mutating func remove(_ keys: [Key]) -> [String] {
        var unsubscribe: [String] = []
        for key in keys {
            if case let .unsubscribe(topic) = deregister(key) { unsubscribe.append(topic) }
        }
        return unsubscribe.sorted()
    }

    /// Forgets everything; returns the topics that had observers.
    mutating func removeAll() -> [String] {
        defer {
            topicsByKey.removeAll()
            resourcesByKey.removeAll()
            counts.removeAll()
        }
        return counts.keys.sorted()
    }

    private mutating func decrement(_ topic: String) -> Change {
        let remaining = counts[topic, default: 1] - 1
        if remaining > 0 {
            counts[topic] = remaining
            return .none
        }
        counts.removeValue(forKey: topic)
        return .unsubscribe(topic)
    }
}
