import PerchCore

extension SpoolQueue {
    /// The counters for the `spool` status section (without the runtime's
    /// `recovered_from`).
    func status(wallMilliseconds: Int64) -> SpoolStatus {
        SpoolStatus(
            messages: count,
            bytes: bytes,
            oldestAgeSeconds: oldestArrivalMilliseconds.map { Int(max(0, wallMilliseconds - $0) / 1000) } ?? 0,
            dropped: dropped,
            rejected: rejected,
            lastError: storeFailure?.message,
            deadLettered: deadLettered
        )
    }

    /// The arrival of the oldest message held: the lowest sequence is the oldest.
    var oldestArrivalMilliseconds: Int64? {
        if let oldest = outstanding.values.min(by: { $0.sequence < $1.sequence }) {
            return oldest.arrivalMilliseconds
        }
        if let entry = resident.first { return entry.arrivalMilliseconds }
        if let segment = diskOnly.first { return segment.oldestArrivalMilliseconds }
        return tail.first?.arrivalMilliseconds
    }
}
