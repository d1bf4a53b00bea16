import MQTTCodec
import NIOCore
import PerchCore

@testable import Spool

/// Drives a `SpoolQueue<Int>` by hand: a manual monotonic clock and wall
/// clock, a disk tier kept in a dictionary (committed only when the test says
/// so), and a record of everything the queue asked for. Senders are integers.
final class QueueHarness {
    var queue: SpoolQueue<Int>
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    var wall: Int64 = 1_700_000_000_000
    /// The "disk": committed rows.
    var disk: [UInt64: SpooledMessage] = [:]

    var transmitted: [(message: Message, ticket: UpstreamTicket)] = []
    /// QoS 0 messages that went straight through (no ticket).
    var forwarded: [Message] = []
    var acknowledged: [Int] = []
    var rejectedSenders: [(sender: Int, reason: SpoolRejection)] = []
    var events: [SpoolEvent] = []
    var pendingCommit: SpoolCommitBatch?
    var pendingLoad: (range: ClosedRange<UInt64>, limit: Int)?
    var commitCount = 0

    init(policy: SpoolPolicy, disk: [UInt64: SpooledMessage] = [:], linkUp: Bool = true) {
        self.disk = disk
        self.queue = SpoolQueue(policy: policy, inventory: Self.inventory(of: disk))
        queue.isLinkUp = linkUp
    }

    func link(up: Bool) {
        run { queue.linkChanged(isUp: up, now: now, wallMilliseconds: wall, &$0) }
    }

    /// What a store would report for `rows` (segments of `seq >> 8`).
    static func inventory(of rows: [UInt64: SpooledMessage]) -> SpoolInventory {
        var segments: [UInt64: SpoolSegment] = [:]
        for row in rows.values.sorted(by: { $0.sequence < $1.sequence }) {
            let key = row.sequence >> 8
            if var segment = segments[key] {
                segment.sequences = segment.sequences.lowerBound...row.sequence
                segment.count += 1
                segment.bytes += row.accountedBytes
                segment.oldestArrivalMilliseconds = min(segment.oldestArrivalMilliseconds, row.arrivalMilliseconds)
                segments[key] = segment
            } else {
                segments[key] = SpoolSegment(
                    sequences: row.sequence...row.sequence, count: 1, bytes: row.accountedBytes,
                    oldestArrivalMilliseconds: row.arrivalMilliseconds)
            }
        }
        let next = (rows.keys.max().map { $0 + 1 }) ?? 0
        return SpoolInventory(segments: segments.keys.sorted().compactMap { segments[$0] }, nextSequence: next)
    }

    // MARK: Events

    func accept(_ topic: String, _ text: String = "x", qos: MQTTQoS = .atLeastOnce, sender: Int? = nil) {
        run { queue.accept(Message(topic: topic, text: text, qos: qos), sender: sender, now: now, wallMilliseconds: wall, &$0) }
    }

    func report(_ ticket: UpstreamTicket, _ outcome: UpstreamTransmissionOutcome = .delivered) {
        run { queue.transmitted(ticket, outcome, now: now, wallMilliseconds: wall, &$0) }
    }

    func advance(_ amount: TimeAmount) {
        now = now + amount
        wall += amount.nanoseconds / 1_000_000
    }

    /// Advances to the queue's next deadline (if any, and not beyond `limit`) and fires the timer.
    @discardableResult
    func fireTimer() -> Bool {
        guard let deadline = queue.nextDeadline else { return false }
        if deadline > now {
            wall += (deadline.uptimeNanoseconds - now.uptimeNanoseconds).asInt64 / 1_000_000
            now = deadline
        }
        run { queue.timerFired(now: now, wallMilliseconds: wall, &$0) }
        return true
    }

    /// Applies the pending commit to the "disk" and reports success.
    func completeCommit() {
        guard let batch = pendingCommit else { return }
        pendingCommit = nil
        commitCount += 1
        for row in batch.inserting { disk[row.sequence] = row }
        for range in batch.deleting {
            for key in disk.keys where range.contains(key) { disk.removeValue(forKey: key) }
        }
        run { queue.commitSucceeded(now: now, wallMilliseconds: wall, &$0) }
    }

    func failCommit(_ kind: SpoolStoreError.Kind = .diskFull) {
        guard pendingCommit != nil else { return }
        pendingCommit = nil
        run { queue.commitFailed(SpoolStoreError(kind: kind, message: "test: \(kind)"), now: now, &$0) }
    }

    /// Serves the pending read from the "disk".
    func completeLoad() {
        guard let load = pendingLoad else { return }
        pendingLoad = nil
        let rows = disk.values.filter { load.range.contains($0.sequence) }.sorted { $0.sequence < $1.sequence }.prefix(load.limit)
        run { queue.loaded(Array(rows), range: load.range, now: now, wallMilliseconds: wall, &$0) }
    }

    /// The pending read fails.
    func failLoad() {
        guard pendingLoad != nil else { return }
        pendingLoad = nil
        run { queue.loadFailed(SpoolStoreError(kind: .failed, message: "test: read"), now: now, &$0) }
    }

    func stop() {
        run { queue.stop(now: now, &$0) }
    }

    func apply(_ policy: SpoolPolicy) {
        run { queue.apply(policy, now: now, &$0) }
    }

    /// Tickets transmitted so far, as sequences.
    var tickets: [UInt64] { transmitted.map(\.ticket.rawValue) }
    var topicsSent: [String] { transmitted.map(\.message.topic) }

    private func run(_ body: (inout [SpoolAction<Int>]) -> Void) {
        var actions: [SpoolAction<Int>] = []
        body(&actions)
        for action in actions {
            switch action {
            case .transmit(let message, let ticket): transmitted.append((message, ticket))
            case .forward(let message): forwarded.append(message)
            case .acknowledge(let sender): acknowledged.append(sender)
            case .reject(let sender, let reason): rejectedSenders.append((sender, reason))
            case .commit(let batch):
                precondition(pendingCommit == nil, "two commits at once")
                pendingCommit = batch
            case .load(let range, let limit):
                precondition(pendingLoad == nil, "two reads at once")
                pendingLoad = (range, limit)
            case .report(let event): events.append(event)
            }
        }
    }
}

extension UInt64 {
    var asInt64: Int64 { Int64(clamping: self) }
}
