import NIOCore
import PerchCore

/// The spool's logic (SPEC §5): numbering, order, the window onto the uplink,
/// group commits, the memory and disk tiers, the bounds and the counters.
///
/// It does no I/O and reads no clock: every event carries `now` (monotonic,
/// for commit deadlines) and `wallMilliseconds` (for `max_age`, which must mean
/// the same after a restart), and every output is a `SpoolAction` appended to
/// the caller's buffer. It is loop-confined: the runtime owns it on the
/// uplink's event loop. `Sender` is whatever the runtime uses to answer a
/// sender (a promise); tests use plain values.
///
/// ## Where a message is
/// Every message has a `sequence`, its place in one global arrival order, and
/// leaves for the uplink in that order. The messages not yet handed over
/// ("waiting") are, in order:
///
///     resident (in memory) ++ diskOnly (segments on disk only) ++ tail (in memory)
///
/// `tail` exists only while `diskOnly` does: a message that arrives behind a
/// backlog on disk waits in memory until it is committed, then joins the disk
/// backlog. `resident` is refilled from the front of `diskOnly` by reads. All
/// messages handed over (`outstanding`) are older than all waiting ones.
/// Independently, `uncommitted` lists, in order, the messages that must reach
/// the disk unless the broker takes them first.
final class SpoolQueue<Sender> {
    typealias Entry = SpoolEntry<Sender>

    var policy: SpoolPolicy
    /// The next sequence to give.
    private(set) var nextSequence: UInt64

    /// Handed to the uplink, not yet reported back, by sequence.
    var outstanding: [UInt64: Entry] = [:]
    var resident = CircularBuffer<Entry>()
    var residentBytes = 0
    var diskOnly = CircularBuffer<SpoolSegment>()
    var tail = CircularBuffer<Entry>()
    /// Durable entries not yet on disk, in order; finished ones are pruned lazily.
    var uncommitted = CircularBuffer<Entry>()
    /// Bytes of live entries in `uncommitted` (including the batch being written).
    var uncommittedBytes = 0
    var uncommittedCount = 0

    /// Rows to delete at the next commit (delivered or dropped after they were written).
    var pendingDeletes = SequenceRanges()
    /// When the oldest pending delete was added: deletes alone are written only
    /// after `deleteDelay`, so that a drain does not cost one commit per message.
    var pendingDeletesSince: NIODeadline?

    /// Messages to move to the dead-letter table at the next commit (forced soon).
    var pendingDeadLetters: [DeadLetter] = []
    /// The dead letters in the commit being written.
    var committingDeadLetters: [DeadLetter] = []
    /// Messages in the dead-letter table (at most `DeadLetter.limit`).
    var deadLettered: Int

    /// The batch being written, if any.
    var committing: [Entry]?
    var committingDeletes: [ClosedRange<UInt64>] = []
    /// The range being read back, if any.
    var loading: ClosedRange<UInt64>?
    /// The last failure of the disk tier, until a commit succeeds again.
    var storeFailure: SpoolStoreError?
    /// No commit or read is tried before this after a failure.
    var retryAt: NIODeadline?
    /// Set by `stop`: everything not on disk is committed, nothing new is taken.
    var isStopping = false
    /// The uplink has a live connection. Messages are handed over only then:
    /// during an outage they wait here, where they are written, bounded and
    /// dropped by policy, rather than in the uplink's memory.
    var isLinkUp = false

    /// Every message held: outstanding, waiting, in memory or on disk.
    var count = 0
    var bytes = 0
    var dropped: UInt64 = 0
    var rejected: UInt64 = 0

    /// How long pending deletes may wait for a commit with something to insert.
    var deleteDelay: TimeAmount { max(TimeAmount(policy.commitInterval * 10), .seconds(1)) }

    init(policy: SpoolPolicy, inventory: SpoolInventory) {
        self.policy = policy
        self.nextSequence = inventory.nextSequence
        self.deadLettered = inventory.deadLetters
        for segment in inventory.segments where segment.count > 0 {
            diskOnly.append(segment)
            count += segment.count
            bytes += segment.bytes
        }
    }

    // MARK: Taking messages

    /// A sender hands over `message`. `sender` (if any) is answered with
    /// `.acknowledge` once the message is safe or `.reject` if it is not kept,
    /// possibly within this call.
    func accept(
        _ message: Message, sender: Sender?, now: NIODeadline, wallMilliseconds: Int64,
        _ actions: inout [SpoolAction<Sender>]
    ) {
        let size = SpooledMessage.accountedBytes(of: message)
        let isDurable = message.qos != .atMostOnce || policy.buffersQoS0
        guard !isStopping else {
            refuse(sender, .stopping, lost: sender == nil, &actions)
            return
        }
        let canGoNow = isLinkUp && isIdle && outstanding.count < policy.window
        // buffer_qos0 off: a QoS 0 message that cannot leave at once is not kept.
        guard isDurable || canGoNow else {
            refuse(sender, .notBuffered, lost: true, &actions)
            return
        }
        // The disk refuses writes: with the link down, nothing but the disk could
        // make a new message safe, so the sender hears "congestion" at once (and
        // may send again) rather than waiting for an acknowledgement that cannot
        // come. Messages taken before the failure stay, for a retry or the broker.
        if isDurable, storeFailure != nil, !isLinkUp {
            refuse(sender, .storeUnavailable, lost: sender == nil, &actions)
            return
        }
        // The fast path: a QoS 0 message nobody waits for, with the link up and
        // nothing waiting before it, goes straight on. Nothing is numbered or
        // kept: at most once allows losing it to a crash in the moment before
        // the uplink writes it (SPEC §5: "at most the unacknowledged QoS 0 tail"),
        // and if the link drops first the uplink keeps it for the reconnect.
        if canGoNow, message.qos == .atMostOnce, sender == nil {
            actions.append(.forward(message))
            return
        }
        if isDurable, uncommittedBytes + size > policy.uncommittedBytesLimit {
            refuse(sender, .storeUnavailable, lost: sender == nil, &actions)
            return
        }
        guard makeRoom(for: size, now: now, &actions) else {
            refuse(sender, .full, lost: sender == nil, &actions)
            return
        }

        var message = message
        if !canGoNow {
            // It waits: its payload must not pin the 64 KiB read buffer it was
            // sliced from (ByteBuffer.detachedFromReadBuffer explains).
            message.payload = message.payload.detachedFromReadBuffer()
        }
        let entry = Entry(
            sequence: nextSequence, message: message, arrivalMilliseconds: wallMilliseconds, acceptedAt: now,
            bytes: size, sender: sender, isDurable: isDurable, isCommitted: false
        )
        nextSequence += 1
        count += 1
        bytes += size
        if isDurable {
            uncommitted.append(entry)
            uncommittedBytes += size
            uncommittedCount += 1
        }
        if canGoNow {
            hand(entry, wallMilliseconds: wallMilliseconds, waited: false, &actions)
        } else if diskOnly.isEmpty {
            resident.append(entry)
            residentBytes += size
        } else {
            tail.append(entry)
        }
        if uncommittedCount >= policy.batchLimit {
            startCommit(now: now, force: true, &actions)
        }
        pump(now: now, wallMilliseconds: wallMilliseconds, &actions)
    }

    /// Nothing waits: a new message may go straight to the uplink.
    var isIdle: Bool {
        resident.isEmpty && diskOnly.isEmpty && tail.isEmpty
    }

    /// Answers a sender whose message was not kept; counts it.
    func refuse(_ sender: Sender?, _ reason: SpoolRejection, lost: Bool, _ actions: inout [SpoolAction<Sender>]) {
        if let sender {
            rejected &+= 1
            actions.append(.reject(sender, reason))
        }
        if lost {
            dropped &+= 1
            actions.append(.report(.dropped(count: 1, reason: reason)))
        }
    }

    /// The uplink's link came up or went down.
    func linkChanged(isUp: Bool, now: NIODeadline, wallMilliseconds: Int64, _ actions: inout [SpoolAction<Sender>]) {
        isLinkUp = isUp
        guard isUp else {
            // What was handed over now waits for the next connection, however
            // long: it must not pin read buffers meanwhile.
            for entry in outstanding.values {
                entry.message.payload = entry.message.payload.detachedFromReadBuffer()
            }
            return
        }
        pump(now: now, wallMilliseconds: wallMilliseconds, &actions)
    }

    // MARK: Stopping

    /// Perch is stopping (the uplink already stopped): take nothing new and
    /// write everything not yet on disk, whatever its age.
    func stop(now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        isStopping = true
        retryAt = nil
        startCommit(now: now, force: true, &actions)
    }

    /// True once stopping and nothing is left to write (or being written).
    var isStopped: Bool {
        isStopping && committing == nil && !hasUncommitted && pendingDeletes.isEmpty && pendingDeadLetters.isEmpty
    }

    /// The uplink says `message` cannot fit the broker: it is refused before
    /// it is taken (SPEC §5: never acknowledged and then dropped).
    func refuseAtTheDoor(_ sender: Sender?, _ refusal: MessageRefusal, _ actions: inout [SpoolAction<Sender>]) {
        refuse(sender, .permanent(refusal), lost: sender == nil, &actions)
    }

    var hasUncommitted: Bool { uncommittedCount > 0 }
}
