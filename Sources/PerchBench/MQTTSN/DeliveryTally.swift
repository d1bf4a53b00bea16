/// What the counter saw of one case: per client which sequence numbers arrived
/// (a bit set each), hence loss, duplicates and order, and every first arrival's
/// end-to-end latency, optionally cut into fixed windows of arrival time (the soak's
/// latency every 10 s).
struct DeliveryTally: Sendable {
    let caseTag: UInt32
    /// Distinct messages received.
    private(set) var unique = 0
    /// Messages received a second time (a QoS 1 retransmission both copies of which got through).
    private(set) var duplicates = 0
    /// Messages that arrived after a later one of the same client.
    private(set) var outOfOrder = 0
    /// Messages of another case or not carrying a `BenchPayload`.
    private(set) var foreign = 0
    /// Send-to-arrival times of first arrivals, in nanoseconds.
    private(set) var latencies: [UInt64] = []
    /// `MonotonicTime` of the last arrival (0 before the first).
    private(set) var lastArrival: UInt64 = 0
    /// Where each latency window begins in `latencies` (which are in arrival
    /// order): window k holds the first arrivals in [origin + k·length,
    /// origin + (k+1)·length). Empty unless `keepWindows` was called.
    private(set) var windowStarts: [Int] = []
    private var nextWindowAt = UInt64.max
    private var windowLength: UInt64 = 0
    private var seen: [[UInt64]]
    private var highest: [Int64]

    init(caseTag: UInt32, clients: Int, expectedMessages: Int) {
        self.caseTag = caseTag
        seen = Array(repeating: [], count: clients)
        highest = Array(repeating: -1, count: clients)
        latencies.reserveCapacity(expectedMessages)
    }

    /// Cuts the latencies into windows of `length` nanoseconds from the `MonotonicTime` `origin` on.
    mutating func keepWindows(ofNanoseconds length: UInt64, from origin: UInt64) {
        guard length > 0 else { return }
        windowLength = length
        windowStarts = [0]
        nextWindowAt = origin &+ length
    }

    /// The latencies of window `index` (see `windowStarts`).
    func latencies(inWindow index: Int) -> ArraySlice<UInt64> {
        guard windowStarts.indices.contains(index) else { return [] }
        let end = index + 1 < windowStarts.count ? windowStarts[index + 1] : latencies.count
        return latencies[windowStarts[index]..<end]
    }

    /// Counts one delivered message.
    mutating func record(_ payload: BenchPayload?, arrivedAt now: UInt64) {
        guard let payload, payload.caseTag == caseTag, Int(payload.client) < seen.count else {
            foreign += 1
            return
        }
        lastArrival = now
        let client = Int(payload.client)
        let word = Int(payload.sequence >> 6)
        let bit = UInt64(1) << UInt64(payload.sequence & 63)
        if seen[client].count <= word {
            seen[client].append(contentsOf: repeatElement(0, count: max(word + 1 - seen[client].count, seen[client].count)))
        }
        guard seen[client][word] & bit == 0 else {
            duplicates += 1
            return
        }
        seen[client][word] |= bit
        unique += 1
        if Int64(payload.sequence) < highest[client] { outOfOrder += 1 } else { highest[client] = Int64(payload.sequence) }
        while now >= nextWindowAt {
            windowStarts.append(latencies.count)
            nextWindowAt &+= windowLength
        }
        latencies.append(now >= payload.sentNanoseconds ? now - payload.sentNanoseconds : 0)
    }
}
