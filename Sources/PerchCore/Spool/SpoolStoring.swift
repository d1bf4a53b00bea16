/// The spool's disk tier: an append-mostly table of `SpooledMessage` in the
/// state directory's SQLite file. Implemented by `Storage.SQLiteSpoolStore`.
///
/// Calls block on the disk. The spool makes them from one background thread,
/// one at a time, never from an event loop; an implementation needs no lock of
/// its own for that use, but must be safe to hand between threads.
public protocol SpoolStoring: Sendable {
    /// What is on disk, for the spool to resume from after a start: run once,
    /// before any other call.
    func inventory() throws(SpoolStoreError) -> SpoolInventory

    /// One group commit, in one transaction: adds `inserting` (in sequence
    /// order) and removes every message whose sequence lies in one of
    /// `deleting`. Returns only once the transaction is durable (SPEC §5: on
    /// disk, fsync'd, so it survives a power loss); on a throw nothing of it
    /// was applied.
    func commit(inserting: [SpooledMessage], deleting: [ClosedRange<UInt64>]) throws(SpoolStoreError)

    /// The same, and in the same transaction moves `deadLetters` into the
    /// dead-letter table, which keeps the newest `deadLetterLimit` rows.
    func commit(inserting: [SpooledMessage], deleting: [ClosedRange<UInt64>], deadLetters: [DeadLetter]) throws(SpoolStoreError)

    /// The messages with a sequence in `range`, in sequence order, at most `limit`.
    func load(_ range: ClosedRange<UInt64>, limit: Int) throws(SpoolStoreError) -> [SpooledMessage]
}

/// What `SpoolStoring.inventory()` finds: enough to account for every message
/// on disk (count, bytes, age) without reading payloads.
public struct SpoolInventory: Sendable, Equatable {
    /// Runs of consecutive sequences, in order, each small enough to drop or
    /// load at once (at most `SpoolSegment.maximumCount` messages).
    public var segments: [SpoolSegment]
    /// One past the highest sequence ever stored (0 for an empty file): the
    /// next message gets this one, so order continues across restarts.
    public var nextSequence: UInt64

    /// Messages in the dead-letter table.
    public var deadLetters: Int

    public init(segments: [SpoolSegment], nextSequence: UInt64, deadLetters: Int = 0) {
        self.segments = segments
        self.nextSequence = nextSequence
        self.deadLetters = deadLetters
    }
}

/// A message taken out of the spool because it can never be delivered to this
/// broker after it was acknowledged to its sender (SPEC §5): kept, with why,
/// until an operator re-queues it (`perchd spool dead-letters --requeue`).
public struct DeadLetter: Sendable, Equatable {
    /// The newest this many are kept; an older one is dropped (and counted) for a newer.
    public static let limit = 1_000

    public var message: SpooledMessage
    /// Why, in the uplink's words.
    public var reason: String
    /// When it was taken out, in milliseconds since the Unix epoch.
    public var deadMilliseconds: Int64

    public init(message: SpooledMessage, reason: String, deadMilliseconds: Int64) {
        self.message = message
        self.reason = reason
        self.deadMilliseconds = deadMilliseconds
    }
}

extension SpoolStoring {
    /// A commit with no dead letters.
    public func commit(inserting: [SpooledMessage], deleting: [ClosedRange<UInt64>]) throws(SpoolStoreError) {
        try commit(inserting: inserting, deleting: deleting, deadLetters: [])
    }
}

/// A run of stored messages, described without their payloads.
public struct SpoolSegment: Sendable, Equatable {
    /// The most messages one segment describes: the unit in which a full spool
    /// with `overflow: drop_oldest` drops from disk, and in which it reads back.
    public static let maximumCount = 256

    /// Every stored message in the segment has a sequence in this range; there
    /// may be gaps (messages already deleted).
    public var sequences: ClosedRange<UInt64>
    /// How many messages.
    public var count: Int
    /// The sum of their `SpooledMessage.accountedBytes`.
    public var bytes: Int
    /// The earliest `arrivalMilliseconds` among them.
    public var oldestArrivalMilliseconds: Int64

    public init(sequences: ClosedRange<UInt64>, count: Int, bytes: Int, oldestArrivalMilliseconds: Int64) {
        self.sequences = sequences
        self.count = count
        self.bytes = bytes
        self.oldestArrivalMilliseconds = oldestArrivalMilliseconds
    }
}

/// Why the disk tier failed, in the terms the spool acts on.
public struct SpoolStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure: decides what the spool does next.
    public enum Kind: Sendable, Equatable {
        /// No space (SQLITE_FULL, ENOSPC, EFBIG from a file-size limit): the
        /// spool keeps what it holds in memory, refuses what it cannot keep, and
        /// tries again later.
        case diskFull
        /// The file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB): unusable until
        /// moved aside, which happens at the next start.
        case corrupt
        /// Any other failure of the disk or the library (I/O error, read-only
        /// file, busy beyond the timeout): tried again later.
        case failed
    }

    public var kind: Kind
    /// The operator-facing explanation (the SQLite message and what was being done).
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
