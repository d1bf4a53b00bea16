import NIOCore
import PerchCore

/// `max_bytes` and `overflow` (SPEC §5).
extension SpoolQueue {
    /// Makes room for `size` more bytes under `max_bytes`; false when the
    /// message cannot be taken. `drop_oldest` drops waiting messages, oldest
    /// first (never one already handed to the uplink: the broker may have it);
    /// a backlog on disk goes a segment at a time, since its sizes are known
    /// per segment only.
    func makeRoom(for size: Int, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) -> Bool {
        guard bytes + size > policy.maximumBytes else { return true }
        guard policy.overflow == .dropOldest, size <= policy.maximumBytes else { return false }
        var droppedHere = 0
        defer {
            if droppedHere > 0 {
                dropped &+= UInt64(droppedHere)
                actions.append(.report(.dropped(count: droppedHere, reason: .droppedForSpace)))
            }
        }
        while bytes + size > policy.maximumBytes {
            if let entry = resident.first {
                resident.removeFirst()
                residentBytes -= entry.bytes
                droppedHere += discard(entry, now: now, &actions)
            } else if let segment = diskOnly.first {
                diskOnly.removeFirst()
                count -= segment.count
                bytes -= segment.bytes
                droppedHere += segment.count
                pendingDeletes.insert(segment.sequences)
                if pendingDeletesSince == nil { pendingDeletesSince = now }
            } else if let entry = tail.first {
                tail.removeFirst()
                droppedHere += discard(entry, now: now, &actions)
            } else {
                return false
            }
        }
        return true
    }

    /// Drops one waiting entry for room; its sender, if still waiting, is
    /// told. Returns how many messages were lost (0 for one already gone).
    private func discard(_ entry: Entry, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) -> Int {
        guard !entry.isFinished else { return 0 }
        if let sender = entry.sender {
            entry.sender = nil
            rejected &+= 1
            actions.append(.reject(sender, .droppedForSpace))
        }
        finish(entry, now: now)
        return 1
    }
}
