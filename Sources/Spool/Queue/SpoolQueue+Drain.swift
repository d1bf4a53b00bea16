import NIOCore
import PerchCore

/// Handing messages to the uplink in order, reading the backlog back from
/// disk, and what the uplink reports.
extension SpoolQueue {
    /// Hands waiting messages to the uplink, oldest first, while the window has
    /// room; asks for the next part of the disk backlog when memory runs low.
    func pump(now: NIODeadline, wallMilliseconds: Int64, _ actions: inout [SpoolAction<Sender>]) {
        if diskOnly.isEmpty, !tail.isEmpty {
            // The disk backlog is gone: the tail is simply the rest of the order.
            moveTailToResident()
        }
        while isLinkUp, outstanding.count < policy.window, let entry = resident.first {
            resident.removeFirst()
            residentBytes -= entry.bytes
            if isExpired(entry, wallMilliseconds: wallMilliseconds) {
                drop(entry, .expired, now: now, &actions)
                continue
            }
            hand(entry, wallMilliseconds: wallMilliseconds, waited: true, &actions)
        }
        // Read ahead so the window never waits for the disk: the next reads
        // start while a window's worth is still in memory. Only while the link
        // is up: during an outage nothing would leave, and reading back what
        // was just evicted would only churn.
        if isLinkUp, resident.count < policy.window, !diskOnly.isEmpty {
            startLoad(now: now, &actions)
        }
    }

    /// Gives `entry` to the uplink. A message that `waited` in the spool
    /// carries what is left of its lifetime (MQTT 5.0 §3.3.2.3.3; the uplink
    /// drops the property on 3.1.1): the shorter of `max_age` and the sender's
    /// own expiry, less the time it waited. One handed over on arrival keeps
    /// just the sender's expiry, if any: nothing of `max_age` was spent, and a
    /// PUBLISH without properties is the uplink's cheapest to encode.
    func hand(_ entry: Entry, wallMilliseconds: Int64, waited: Bool, _ actions: inout [SpoolAction<Sender>]) {
        entry.isHanded = true
        outstanding[entry.sequence] = entry
        guard waited else {
            actions.append(.transmit(entry.message, UpstreamTicket(rawValue: entry.sequence)))
            return
        }
        var message = entry.message
        let age = Duration.milliseconds(max(0, wallMilliseconds - entry.arrivalMilliseconds))
        let remaining = policy.maximumAge - age
        message.expiry = message.expiry.map { min($0 - age, remaining) } ?? remaining
        actions.append(.transmit(message, UpstreamTicket(rawValue: entry.sequence)))
    }

    func isExpired(_ entry: Entry, wallMilliseconds: Int64) -> Bool {
        let age = Duration.milliseconds(wallMilliseconds - entry.arrivalMilliseconds)
        if age >= policy.maximumAge { return true }
        if let expiry = entry.message.expiry, age >= expiry { return true }
        return false
    }

    private func moveTailToResident() {
        while let entry = tail.popFirst() {
            resident.append(entry)
            residentBytes += entry.bytes
        }
    }

    // MARK: Reading the backlog

    /// Asks for the first segments of the disk backlog, up to half the memory
    /// budget, unless a read is already under way or the disk is failing.
    func startLoad(now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        guard loading == nil, let first = diskOnly.first else { return }
        if let retryAt, now < retryAt { return }
        var upper = first.sequences.upperBound
        var messages = first.count
        var size = first.bytes
        for segment in diskOnly.dropFirst() {
            guard messages + segment.count <= policy.window, size + segment.bytes <= policy.residentBytes / 2 else { break }
            upper = segment.sequences.upperBound
            messages += segment.count
            size += segment.bytes
        }
        let range = first.sequences.lowerBound...upper
        loading = range
        actions.append(.load(range, limit: messages))
    }

    /// The read of `range` returned `messages` (in order).
    func loaded(
        _ messages: [SpooledMessage], range: ClosedRange<UInt64>, now: NIODeadline, wallMilliseconds: Int64,
        _ actions: inout [SpoolAction<Sender>]
    ) {
        guard loading == range else { return }
        loading = nil
        // The segments read are now in memory (a segment dropped for room while
        // the read was under way is no longer in `diskOnly`: its rows are skipped).
        var covered: [ClosedRange<UInt64>] = []
        while let segment = diskOnly.first, segment.sequences.upperBound <= range.upperBound {
            diskOnly.removeFirst()
            covered.append(segment.sequences)
            // What the segment counted is re-counted per message below.
            count -= segment.count
            bytes -= segment.bytes
        }
        for row in messages where covered.contains(where: { $0.contains(row.sequence) }) {
            let entry = Entry(
                sequence: row.sequence, message: row.message, arrivalMilliseconds: row.arrivalMilliseconds,
                acceptedAt: now, bytes: row.accountedBytes, sender: nil, isDurable: true, isCommitted: true
            )
            count += 1
            bytes += entry.bytes
            resident.append(entry)
            residentBytes += entry.bytes
        }
        pump(now: now, wallMilliseconds: wallMilliseconds, &actions)
    }

    /// The read failed: report it and try again later.
    func loadFailed(_ error: SpoolStoreError, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        loading = nil
        noteStoreFailure(error, now: now, &actions)
    }

    // MARK: What the uplink reports

    /// The uplink's outcome for the message with sequence `ticket`.
    func transmitted(
        _ ticket: UpstreamTicket, _ outcome: UpstreamTransmissionOutcome, now: NIODeadline, wallMilliseconds: Int64,
        _ actions: inout [SpoolAction<Sender>]
    ) {
        guard let entry = outstanding.removeValue(forKey: ticket.rawValue) else { return }
        entry.isHanded = false
        switch outcome {
        case .delivered:
            if let sender = entry.sender {
                entry.sender = nil
                actions.append(.acknowledge(sender))
            }
            finish(entry, now: now)
        case .refused(let reason):
            undeliverable(entry, .refusedUpstream(reason), now: now, wallMilliseconds: wallMilliseconds, &actions)
        case .tooLarge(let size, let maximum):
            let refusal = MessageRefusal.tooLarge(topic: entry.message.topic, size: size, maximum: maximum)
            undeliverable(entry, refusal, now: now, wallMilliseconds: wallMilliseconds, &actions)
        case .interrupted:
            // The uplink could not send it (it is stopping, or lost its link in
            // the same moment). The message stays counted and goes back to the
            // front of the order, to leave again when the link is next up; and
            // nothing more is handed over until then, or a stopped uplink would
            // hand every message straight back. At a stop, the final commit keeps
            // what is not on disk for the next start.
            isLinkUp = false
            putBack(entry)
            return
        }
        if !isStopping {
            pump(now: now, wallMilliseconds: wallMilliseconds, &actions)
        }
    }

    /// Returns an entry the uplink handed back to its place in the waiting order
    /// (it is older than every waiting one; several come back in any order).
    private func putBack(_ entry: Entry) {
        var index = resident.startIndex
        while index != resident.endIndex, resident[index].sequence < entry.sequence {
            index = resident.index(after: index)
        }
        resident.insert(entry, at: index)
        residentBytes += entry.bytes
    }

    /// The broker will never take `entry`. A sender still waiting is told so
    /// (for good: it must not send it again); a message already acknowledged
    /// to its sender is kept as a dead letter, written at once, so that it is
    /// not lost and no longer blocks the messages behind it (SPEC §5).
    func undeliverable(
        _ entry: Entry, _ refusal: MessageRefusal, now: NIODeadline, wallMilliseconds: Int64,
        _ actions: inout [SpoolAction<Sender>]
    ) {
        if let sender = entry.sender {
            entry.sender = nil
            rejected &+= 1
            actions.append(.reject(sender, .permanent(refusal)))
            finish(entry, now: now)
            return
        }
        pendingDeadLetters.append(DeadLetter(message: entry.spooled, reason: refusal.description, deadMilliseconds: wallMilliseconds))
        actions.append(.report(.deadLettered(topic: entry.message.topic, size: entry.bytes, reason: refusal.description)))
        finish(entry, now: now)
        startCommit(now: now, force: true, &actions)
    }

    /// The message is gone for good (delivered or dropped): forget it, and
    /// remove its row if it has one.
    func finish(_ entry: Entry, now: NIODeadline) {
        entry.isFinished = true
        count -= 1
        bytes -= entry.bytes
        if entry.isDurable, !entry.isCommitted {
            // Still listed in `uncommitted` (pruned lazily) or in the batch being
            // written (whose success then deletes the row again).
            uncommittedBytes -= entry.bytes
            uncommittedCount -= 1
        }
        if entry.isCommitted {
            deleteRow(entry.sequence, now: now)
        }
    }

    /// Drops `entry` (counted, reported) and tells its sender if it was not yet safe.
    func drop(_ entry: Entry, _ reason: SpoolRejection, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        if let sender = entry.sender {
            entry.sender = nil
            rejected &+= 1
            actions.append(.reject(sender, reason))
        }
        dropped &+= 1
        actions.append(.report(.dropped(count: 1, reason: reason)))
        finish(entry, now: now)
    }

    func deleteRow(_ sequence: UInt64, now: NIODeadline) {
        pendingDeletes.insert(sequence)
        if pendingDeletesSince == nil { pendingDeletesSince = now }
    }
}
