import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Spool

/// A seeded random walk through everything that can happen to the spool —
/// senders, a broker that acknowledges in order, the link going up and down,
/// commits that succeed or fail, slow reads, time passing, and crashes (the
/// process dies: memory, the uplink's queue and any commit in flight are
/// gone; the disk stays) — checking SPEC §5's promises at the end:
///
/// - every message acknowledged to its sender reaches the broker (at least once);
/// - first arrivals at the broker keep the order in which the spool took them;
/// - no sender is answered twice, and none is both acknowledged and refused;
/// - without a crash, every sender is answered.
@Suite("SpoolQueue model: no acknowledged message lost, order kept")
struct SpoolQueueModelTests {
    @Test("random sequences with crashes", arguments: 0..<24)
    func randomWalk(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let policy = SpoolPolicy(
            commitInterval: .milliseconds(100), batchLimit: 32, window: 8, residentBytes: 600,
            uncommittedBytesLimit: 4_000, retryInterval: .milliseconds(300))
        var harness = QueueHarness(policy: policy, linkUp: false)
        var answered: [Int: Bool] = [:]  // sender → acknowledged (true) or refused (false)
        var broker: [Int] = []  // senders whose messages arrived, in arrival order
        var nextSender = 0
        var crashes = 0
        var consumedAnswers = (acknowledged: 0, rejected: 0)

        func collectAnswers() throws {
            for sender in harness.acknowledged.dropFirst(consumedAnswers.acknowledged) {
                #expect(answered[sender] == nil, "sender \(sender) answered twice")
                answered[sender] = true
            }
            for (sender, _) in harness.rejectedSenders.dropFirst(consumedAnswers.rejected) {
                #expect(answered[sender] == nil, "sender \(sender) answered twice")
                answered[sender] = false
            }
            consumedAnswers = (harness.acknowledged.count, harness.rejectedSenders.count)
        }

        /// The broker acknowledges the oldest outstanding message (in order, as
        /// one MQTT connection does).
        func deliverOne() {
            guard harness.queue.isLinkUp, let sequence = harness.queue.outstanding.keys.min(),
                let entry = harness.queue.outstanding[sequence]
            else { return }
            broker.append(Int(entry.message.payload.getString(at: 0, length: entry.message.payload.readableBytes) ?? "") ?? -1)
            harness.report(UpstreamTicket(rawValue: sequence))
        }

        for _ in 0..<600 {
            switch random.next(below: 100) {
            case 0..<30:
                for _ in 0..<(1 + random.next(below: 4)) {
                    harness.accept("t/\(random.next(below: 3))", String(nextSender), sender: nextSender)
                    nextSender += 1
                }
            case 30..<50:
                for _ in 0..<(1 + random.next(below: 6)) { deliverOne() }
            case 50..<55:
                harness.link(up: !harness.queue.isLinkUp)
            case 55..<68:
                if random.next(below: 5) == 0 { harness.failCommit(.diskFull) } else { harness.completeCommit() }
            case 68..<75:
                harness.completeLoad()
            case 75..<92:
                harness.advance(.milliseconds(Int64(random.next(below: 120))))
                if let deadline = harness.queue.nextDeadline, deadline <= harness.now { harness.fireTimer() }
            default:
                if random.next(below: 4) == 0 {
                    try collectAnswers()
                    // A crash: a commit under way lands or not; everything else in memory is gone.
                    if random.next(below: 2) == 0 { harness.applyPendingCommitWithoutTelling() }
                    harness = harness.restartedFromDisk()
                    consumedAnswers = (0, 0)
                    crashes += 1
                }
            }
            try collectAnswers()
        }

        // The link comes back for good: drain everything.
        harness.link(up: true)
        for _ in 0..<20_000 where harness.queue.count > 0 || harness.pendingCommit != nil {
            deliverOne()
            harness.completeLoad()
            harness.completeCommit()
            harness.advance(.milliseconds(50))
            if let deadline = harness.queue.nextDeadline, deadline <= harness.now { harness.fireTimer() }
            harness.link(up: true)
        }
        try collectAnswers()
        #expect(harness.queue.count == 0, "drained (seed \(seed))")

        let arrived = Set(broker)
        let acknowledged = answered.filter(\.value).map(\.key)
        let lost = acknowledged.filter { !arrived.contains($0) }.sorted()
        #expect(lost.isEmpty, "acknowledged but never arrived (seed \(seed), \(crashes) crashes): \(lost.prefix(10))")
        var firsts: [Int] = []
        var seen = Set<Int>()
        for sender in broker where seen.insert(sender).inserted { firsts.append(sender) }
        #expect(firsts == firsts.sorted(), "first arrivals out of order (seed \(seed))")
        if crashes == 0 {
            #expect(answered.count == nextSender, "every sender answered when nothing crashed (seed \(seed))")
        }
    }
}

extension QueueHarness {
    /// A crash while a commit was being written, that made it to disk anyway.
    func applyPendingCommitWithoutTelling() {
        guard let batch = pendingCommit else { return }
        for row in batch.inserting { disk[row.sequence] = row }
        for range in batch.deleting {
            for key in disk.keys where range.contains(key) { disk.removeValue(forKey: key) }
        }
        pendingCommit = nil
    }

    /// A new process on the same disk, its clocks where this one's were.
    func restartedFromDisk() -> QueueHarness {
        let restarted = QueueHarness(policy: queue.policy, disk: disk, linkUp: false)
        restarted.now = now
        restarted.wall = wall
        restarted.run(start: true)
        return restarted
    }
}

/// A small seeded generator, so that a failing seed can be replayed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
