/// A binary min-heap of (deadline, client id, stamp): the gateway's timers
/// (keep-alive, sleep, retransmission, will prompting). Entries are invalidated
/// lazily: a session carries the stamp of its one live entry, and an entry whose
/// stamp differs is discarded when it surfaces. So a received packet costs no
/// heap work at all, and `nextDeadline` is O(1) with a thousand clients.
struct MQTTSNTimerHeap<Instant: InstantProtocol>: Sendable {
    /// One timer.
    struct Entry: Sendable {
        var deadline: Instant
        var clientID: String
        var stamp: UInt64
    }

    private var entries: [Entry] = []

    /// The earliest entry, possibly stale.
    var first: Entry? { entries.first }
    /// How many entries, stale ones included.
    var count: Int { entries.count }

    /// Adds an entry.
    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Empties the heap, keeping its storage.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
    }

    /// Removes and returns the earliest entry.
    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
