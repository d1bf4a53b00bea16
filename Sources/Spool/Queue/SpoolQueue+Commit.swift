import NIOCore
import PerchCore

/// Group commit (SPEC §5): what goes to disk, when, and what a commit's
/// outcome changes. One commit at a time.
///
/// A durable message is written when it has waited `commit_interval / 2` and
/// the oldest unwritten one has waited `commit_interval` (or at once when
/// `batchLimit` messages wait). So a message the broker acknowledges within
/// half the interval never touches the disk, none stays in memory only for
/// longer than the interval plus one fsync, and a steady offline stream is
/// written about twice per interval, in batches.
extension SpoolQueue {
    /// When `timerFired` next has something to do, if ever.
    ///
    /// After a failure of the disk nothing is tried before `retryAt`; a read
    /// that failed is tried again then if its turn has come (the link is up).
    /// A deadline is never one at which `timerFired` would find nothing to
    /// start, so the timer cannot spin.
    var nextDeadline: NIODeadline? {
        if committing != nil { return nil }
        var deadline: NIODeadline?
        if let oldest = oldestUncommitted {
            deadline = oldest.acceptedAt + TimeAmount(policy.commitInterval)
        }
        if let since = pendingDeletesSince {
            let deleteDeadline = since + deleteDelay
            deadline = deadline.map { min($0, deleteDeadline) } ?? deleteDeadline
        }
        if storeFailure != nil, let retryAt {
            if isLinkUp, loading == nil, !diskOnly.isEmpty, resident.count < policy.window {
                deadline = deadline.map { min($0, retryAt) } ?? retryAt
            }
            deadline = deadline.map { max($0, retryAt) }
        }
        return deadline
    }

    /// The timer fired: commit what is due, retry what failed.
    func timerFired(now: NIODeadline, wallMilliseconds: Int64, _ actions: inout [SpoolAction<Sender>]) {
        if storeFailure != nil, let retryAt, now < retryAt { return }
        startCommit(now: now, force: false, &actions)
        pump(now: now, wallMilliseconds: wallMilliseconds, &actions)
    }

    /// The oldest live entry not yet on disk, pruning finished ones from the front.
    var oldestUncommitted: Entry? {
        while let first = uncommitted.first {
            if first.isFinished || first.isCommitted {
                uncommitted.removeFirst()
                continue
            }
            return first
        }
        return nil
    }

    /// Starts a commit if one is due (or `force`d: a full batch, stopping).
    func startCommit(now: NIODeadline, force: Bool, _ actions: inout [SpoolAction<Sender>]) {
        guard committing == nil else { return }
        if !force, storeFailure != nil, let retryAt, now < retryAt { return }
        let halfInterval = TimeAmount.nanoseconds(TimeAmount(policy.commitInterval).nanoseconds / 2)
        let isDue = force || (oldestUncommitted.map { now >= $0.acceptedAt + TimeAmount(policy.commitInterval) } ?? false)
        var batch: [Entry] = []
        if isDue {
            while let entry = oldestUncommitted {
                guard force || now >= entry.acceptedAt + halfInterval else { break }
                uncommitted.removeFirst()
                entry.isCommitting = true
                batch.append(entry)
                if batch.count >= policy.batchLimit, !isStopping { break }
            }
        }
        let deadLetters = pendingDeadLetters
        let deletesDue = !pendingDeletes.isEmpty
            && (force || !batch.isEmpty || !deadLetters.isEmpty || (pendingDeletesSince.map { now >= $0 + deleteDelay } ?? false))
        guard !batch.isEmpty || deletesDue || !deadLetters.isEmpty else { return }
        let deleting = deletesDue ? pendingDeletes.take() : []
        if deletesDue { pendingDeletesSince = nil }
        committing = batch
        committingDeletes = deleting
        pendingDeadLetters = []
        committingDeadLetters = deadLetters
        actions.append(.commit(SpoolCommitBatch(inserting: batch.map(\.spooled), deleting: deleting, deadLetters: deadLetters)))
    }

    /// The commit started last is durable.
    func commitSucceeded(now: NIODeadline, wallMilliseconds: Int64, _ actions: inout [SpoolAction<Sender>]) {
        guard let batch = committing else { return }
        committing = nil
        committingDeletes = []
        if !committingDeadLetters.isEmpty {
            let total = deadLettered + committingDeadLetters.count
            deadLettered = min(total, DeadLetter.limit)
            if total > DeadLetter.limit {
                dropped &+= UInt64(total - DeadLetter.limit)
                actions.append(.report(.deadLettersDropped(count: total - DeadLetter.limit)))
            }
            committingDeadLetters = []
        }
        if storeFailure != nil {
            storeFailure = nil
            retryAt = nil
            actions.append(.report(.storeRecovered))
        }
        for entry in batch {
            entry.isCommitting = false
            entry.isCommitted = true
            if entry.isFinished {
                // Delivered (or dropped) while being written: the row goes again.
                deleteRow(entry.sequence, now: now)
                continue
            }
            uncommittedBytes -= entry.bytes
            uncommittedCount -= 1
            // SPEC §5: on disk now, so the sender may be told.
            if let sender = entry.sender {
                entry.sender = nil
                actions.append(.acknowledge(sender))
            }
        }
        settleTail()
        evictIfNeeded()
        // More may be due already (a burst, or a retry after a failure).
        startCommit(now: now, force: isStopping || uncommittedCount >= policy.batchLimit, &actions)
        if !isStopping { pump(now: now, wallMilliseconds: wallMilliseconds, &actions) }
    }

    /// The commit started last failed: nothing of it was applied. Its messages
    /// stay in memory, unacknowledged, and are tried again after `retryInterval`.
    func commitFailed(_ error: SpoolStoreError, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        guard let batch = committing else { return }
        committing = nil
        for entry in batch.reversed() {
            entry.isCommitting = false
            // A finished entry needs no row; the others go back to the front, in order.
            if !entry.isFinished { uncommitted.prepend(entry) }
        }
        if !committingDeletes.isEmpty {
            pendingDeletes.insert(contentsOf: committingDeletes)
            pendingDeletesSince = pendingDeletesSince ?? now
            committingDeletes = []
        }
        pendingDeadLetters = committingDeadLetters + pendingDeadLetters
        committingDeadLetters = []
        noteStoreFailure(error, now: now, &actions)
    }

    func noteStoreFailure(_ error: SpoolStoreError, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        let isNew = storeFailure?.kind != error.kind
        storeFailure = error
        retryAt = now + TimeAmount(policy.retryInterval)
        if isNew { actions.append(.report(.storeFailed(error))) }
    }

    /// Committed messages at the front of the tail join the disk backlog and
    /// leave memory.
    private func settleTail() {
        guard !diskOnly.isEmpty else { return }
        var run: [Entry] = []
        while let entry = tail.first, entry.isCommitted || entry.isFinished {
            tail.removeFirst()
            if !entry.isFinished { run.append(entry) }
        }
        appendSegments(of: run)
    }

    /// Too much of the waiting backlog in memory: its newest committed part
    /// goes to disk only (and is read back when its turn comes). Only while no
    /// backlog is on disk, so that the order stays resident ++ disk ++ tail.
    private func evictIfNeeded() {
        guard residentBytes > policy.residentBytes, diskOnly.isEmpty, loading == nil else { return }
        var newestUnwritten: [Entry] = []
        var evicted: [Entry] = []
        while residentBytes > policy.residentBytes / 2, let entry = resident.last {
            resident.removeLast()
            residentBytes -= entry.bytes
            if entry.isFinished { continue }
            if entry.isCommitted {
                evicted.append(entry)
            } else {
                // Not on disk yet: it waits in the tail and joins the disk when written.
                newestUnwritten.append(entry)
            }
        }
        appendSegments(of: evicted.reversed())
        for entry in newestUnwritten.reversed() { tail.append(entry) }
        if diskOnly.isEmpty {
            // Nothing could be evicted (nothing committed yet): keep the order simple.
            for entry in tail { resident.append(entry); residentBytes += entry.bytes }
            tail.removeAll()
        }
    }

    /// Describes `entries` (committed, in order) as disk segments at the end of `diskOnly`.
    private func appendSegments(of entries: some Sequence<Entry>) {
        var current: SpoolSegment?
        for entry in entries {
            if var segment = current, segment.count < SpoolSegment.maximumCount {
                segment.sequences = segment.sequences.lowerBound...entry.sequence
                segment.count += 1
                segment.bytes += entry.bytes
                segment.oldestArrivalMilliseconds = min(segment.oldestArrivalMilliseconds, entry.arrivalMilliseconds)
                current = segment
            } else {
                if let segment = current { diskOnly.append(segment) }
                current = SpoolSegment(
                    sequences: entry.sequence...entry.sequence, count: 1, bytes: entry.bytes,
                    oldestArrivalMilliseconds: entry.arrivalMilliseconds
                )
            }
        }
        if let segment = current { diskOnly.append(segment) }
    }
}
