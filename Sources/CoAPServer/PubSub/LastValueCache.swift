import PerchCore

/// The last message seen on each topic, for GET `/ps/{topic}` (SPEC §4),
/// bounded so a sensor inventing topics cannot grow it without limit.
///
/// When full, the topic updated longest ago is forgotten. Keyed by the full
/// upstream topic (mountpoint included), as `Message.topic` is.
struct LastValueCache: Sendable {
    private struct Entry: Sendable {
        var message: Message
        var sequence: UInt64
    }

    /// How many topics are kept at most.
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var nextSequence: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// How many topics have a message.
    var count: Int { entries.count }

    /// The last message on `topic`, if any.
    func message(on topic: String) -> Message? {
        entries[topic]?.message
    }

    /// Forgets the message on `topic` (its retained message was cleared).
    mutating func forget(_ topic: String) {
        entries.removeValue(forKey: topic)
    }

    /// Records `message` as the last one on its topic.
    mutating func record(_ message: Message) {
        record(message, under: message.topic)
    }

    /// Records `message` as the last one under `key`: its topic, or an
    /// observed filter it matched.
    mutating func record(_ message: Message, under key: String) {
        nextSequence += 1
        if entries[key] == nil, entries.count >= capacity {
            // A linear scan: eviction happens only when full and a new topic
            // arrives, and the capacity is in the thousands at most.
            if let oldest = entries.min(by: { $0.value.sequence < $1.value.sequence })?.key {
                entries.removeValue(forKey: oldest)
            }
        }
        entries[key] = Entry(message: message, sequence: nextSequence)
    }
}
