import Logging
import MQTTCodec
import NIOCore
import PerchCore
import Synchronization

/// The spool's disk tier (SPEC §5): `SpooledMessage`s in `spool_messages` of
/// `{state_dir}/perch.db`, one group commit per ``commit(inserting:deleting:)``.
///
/// Durability: the connection runs in WAL mode with `synchronous=FULL`, so a
/// commit returns only after its WAL frames are fsync'd: it survives a power
/// loss, not only a crash of perchd.
///
/// Bounding the WAL, set on this connection (the spool is the file's heavy
/// writer, so its connection runs nearly every checkpoint):
/// - `wal_autocheckpoint = 1000` pages (SQLite's default, about 4 MiB at 4 KiB
///   pages), written out explicitly because the figure matters: it bounds how
///   much the WAL holds in steady state (`SpoolStoreWALTests` checks it), and a
///   checkpoint of that size (up to 4 MiB written into `perch.db`, one fsync)
///   is paid by the commit that crosses it, on the spool's own thread, never an
///   event loop. Not measured on an SD card yet.
/// - `journal_size_limit = 4 MiB`: after a checkpoint resets the WAL, a file
///   that grew past that (one very large batch, or a checkpoint held back by a
///   reader of the client store) is truncated back. It is not smaller, because
///   a WAL trimmed below its steady size is extended again by the next commits:
///   more metadata writes on flash for nothing.
///
/// Sequences are stored as SQLite integers (signed 64-bit); a sequence past
/// `Int64.max` is refused with ``SpoolStoreError/Kind/failed``. Expiry is kept in
/// whole milliseconds (MQTT's Message Expiry Interval is in seconds).
///
/// The spool calls from one background thread, one call at a time; the
/// connection is kept behind a `Mutex` all the same, so the store is `Sendable`
/// without an unchecked promise, and an uncontended lock costs nanoseconds next
/// to an fsync.
public final class SQLiteSpoolStore: SpoolStoring {
    /// The WAL size, in pages, at which a commit also checkpoints.
    static let walAutocheckpointPages = 1000
    /// What a reset WAL is truncated back to, in bytes.
    static let journalSizeLimitBytes = 4 << 20
    /// `sequence >> segmentShift` numbers a sequence's segment: 2⁸ = `SpoolSegment.maximumCount`.
    static let segmentShift = 8

    private let database: Mutex<SQLiteDatabase>
    private let logger: Logger
    private let allocator = ByteBufferAllocator()

    /// Opens `{stateDirectory}/perch.db`, creating the directory and the file
    /// if needed and bringing the schema up to date.
    public convenience init(stateDirectory: String, logger: Logger) throws {
        try self.init(database: PerchDatabase.open(stateDirectory: stateDirectory), logger: logger)
    }

    /// Uses `database`, bringing its schema up to date (``PerchDatabase/migrations``)
    /// and bounding its WAL.
    public init(database: sending SQLiteDatabase, logger: Logger) throws {
        try database.migrate(PerchDatabase.migrations)
        try database.execute(
            "PRAGMA wal_autocheckpoint = \(Self.walAutocheckpointPages); "
                + "PRAGMA journal_size_limit = \(Self.journalSizeLimitBytes)")
        logger.debug("spool store open", metadata: ["path": "\(database.path)"])
        self.database = Mutex(database)
        self.logger = logger
    }

    /// Closes the connection; later calls fail with ``SpoolStoreError/Kind/failed``.
    public func close() {
        database.withLock { $0.close() }
    }

    // MARK: - SpoolStoring

    /// One scan in sequence order of the accounting columns (never a payload),
    /// summed into segments by `seq >> 8`, so a segment never spans more than
    /// `SpoolSegment.maximumCount` (256) sequences.
    public func inventory() throws(SpoolStoreError) -> SpoolInventory {
        try withDatabase(during: "reading the spool's inventory") { database in
            var segments: [SpoolSegment] = []
            try database.withStatement(SpoolTables.accounting) { statement in
                var current: SpoolSegment?
                while try statement.step() {
                    let sequence = try Self.sequence(statement.int64(at: 0))
                    let bytes = Int(statement.int64(at: 1))
                    let arrival = statement.int64(at: 2)
                    if var segment = current, segment.sequences.lowerBound >> Self.segmentShift == sequence >> Self.segmentShift {
                        // Rows come in ascending rowid order; the max only keeps the range well-formed regardless.
                        segment.sequences = segment.sequences.lowerBound...max(sequence, segment.sequences.upperBound)
                        segment.count += 1
                        segment.bytes += bytes
                        segment.oldestArrivalMilliseconds = min(segment.oldestArrivalMilliseconds, arrival)
                        current = segment
                    } else {
                        if let finished = current { segments.append(finished) }
                        current = SpoolSegment(
                            sequences: sequence...sequence, count: 1, bytes: bytes, oldestArrivalMilliseconds: arrival)
                    }
                }
                if let finished = current { segments.append(finished) }
            }
            let highWater = try database.withStatement(SpoolTables.highWater) { statement -> UInt64 in
                guard try statement.step() else { return 0 }
                return try Self.sequence(statement.int64(at: 0))
            }
            // The mark is written with every insert, so it is normally past the
            // last row already; the max covers a file whose mark row was lost.
            let pastLastRow = segments.last.map { $0.sequences.upperBound + 1 } ?? 0
            let deadLetters = try database.withStatement(SpoolTables.countDeadLetters) { statement -> Int in
                guard try statement.step() else { return 0 }
                return Int(statement.int64(at: 0))
            }
            return SpoolInventory(segments: segments, nextSequence: max(highWater, pastLastRow), deadLetters: deadLetters)
        }
    }

    /// Inserts first, then deletes: a sequence both inserted and deleted in one
    /// commit ends up absent, as the protocol says. An insert of a sequence
    /// already stored replaces it, so a commit retried after an unknown outcome
    /// succeeds. Durable on return (WAL + `synchronous=FULL`).
    public func commit(
        inserting: [SpooledMessage], deleting: [ClosedRange<UInt64>], deadLetters: [DeadLetter]
    ) throws(SpoolStoreError) {
        guard !inserting.isEmpty || !deleting.isEmpty || !deadLetters.isEmpty else { return }
        // Checked before the transaction: a sequence SQLite cannot hold changes nothing.
        if let tooLarge = inserting.first(where: { Int64(exactly: $0.sequence) == nil }) {
            throw SpoolStoreError(
                kind: .failed, message: "committing to the spool failed: sequence \(tooLarge.sequence) is past Int64.max")
        }
        let action = "committing \(inserting.count) messages and \(deleting.count) deleted ranges to the spool"
        try withDatabase(during: action) { database in
            try database.transaction {
                if !inserting.isEmpty {
                    try insert(inserting, into: database)
                }
                if !deadLetters.isEmpty {
                    try insert(deadLetters, into: database)
                }
                if !deleting.isEmpty {
                    try database.withStatement(SpoolTables.deleteRange) { statement in
                        for range in deleting {
                            guard let bounds = Self.storedBounds(range) else { continue }
                            try statement.bind(bounds.lowerBound, at: 1)
                            try statement.bind(bounds.upperBound, at: 2)
                            try statement.run()
                            statement.reset()
                        }
                    }
                }
            }
        }
    }

    /// Reads in sequence order; each payload is copied once, from SQLite's
    /// memory into its own `ByteBuffer`.
    public func load(_ range: ClosedRange<UInt64>, limit: Int) throws(SpoolStoreError) -> [SpooledMessage] {
        guard limit > 0, let bounds = Self.storedBounds(range) else { return [] }
        return try withDatabase(during: "loading spool messages \(range) (at most \(limit))") { database in
            try database.withStatement(SpoolTables.load) { statement in
                try statement.bind(bounds.lowerBound, at: 1)
                try statement.bind(bounds.upperBound, at: 2)
                try statement.bind(limit, at: 3)
                var messages: [SpooledMessage] = []
                messages.reserveCapacity(min(limit, SpoolSegment.maximumCount))
                while try statement.step() {
                    messages.append(try message(from: statement))
                }
                return messages
            }
        }
    }

    // MARK: - Rows

    private func insert(_ messages: [SpooledMessage], into database: SQLiteDatabase) throws {
        // One prepared statement for the whole batch, re-bound per row.
        try database.withStatement(SpoolTables.insert) { statement in
            for spooled in messages {
                try bindColumns(of: spooled, to: statement)
                try statement.run()
                statement.reset()
            }
        }
        if let last = messages.map(\.sequence).max() {
            try database.withStatement(SpoolTables.raiseHighWater) { statement in
                // invariant: `last` fits Int64 (checked above), so `last + 1` fits UInt64 and clamps at worst.
                try statement.bind(Int64(clamping: last + 1), at: 1)
                try statement.run()
            }
        }
    }

    /// Binds the nine columns `spool_messages` and `spool_dead_letters` share,
    /// in their order: seq, arrival_ms, size, qos, retain, expiry_ms,
    /// content_type, topic, payload.
    private func bindColumns(of spooled: SpooledMessage, to statement: borrowing SQLiteStatement) throws {
        let message = spooled.message
        // invariant: checked for every message before the transaction began.
        try statement.bind(Int64(exactly: spooled.sequence) ?? Int64.max, at: 1)
        try statement.bind(spooled.arrivalMilliseconds, at: 2)
        try statement.bind(spooled.accountedBytes, at: 3)
        try statement.bind(Int(message.qos.rawValue), at: 4)
        try statement.bind(Int64(message.retain ? 1 : 0), at: 5)
        if let expiry = message.expiry {
            try statement.bind(Self.milliseconds(expiry), at: 6)
        } else {
            try statement.bindNull(at: 6)
        }
        if let contentType = message.contentType {
            try statement.bind(contentType, at: 7)
        } else {
            try statement.bindNull(at: 7)
        }
        try statement.bind(message.topic, at: 8)
        try statement.bind(message.payload, at: 9)
    }

    private func insert(_ deadLetters: [DeadLetter], into database: SQLiteDatabase) throws {
        try database.withStatement(SpoolTables.insertDeadLetter) { statement in
            for deadLetter in deadLetters {
                try bindColumns(of: deadLetter.message, to: statement)
                try statement.bind(deadLetter.deadMilliseconds, at: 10)
                try statement.bind(deadLetter.reason, at: 11)
                try statement.run()
                statement.reset()
            }
        }
        try database.withStatement(SpoolTables.trimDeadLetters) { statement in
            try statement.bind(DeadLetter.limit, at: 1)
            try statement.run()
        }
    }

    // MARK: - Dead letters, for `perchd spool dead-letters`

    /// One row of the dead-letter table.
    public struct StoredDeadLetter: Sendable {
        /// The row's id, which orders the table.
        public var id: Int64
        public var deadLetter: DeadLetter
    }

    /// Every dead letter, oldest first.
    public func deadLetters() throws(SpoolStoreError) -> [StoredDeadLetter] {
        try withDatabase(during: "reading the dead letters") { database in
            try database.withStatement(SpoolTables.listDeadLetters) { row in
                var letters: [StoredDeadLetter] = []
                while try row.step() {
                    letters.append(StoredDeadLetter(
                        id: row.int64(at: 8),
                        deadLetter: DeadLetter(message: try message(from: row), reason: row.text(at: 10), deadMilliseconds: row.int64(at: 9))
                    ))
                }
                return letters
            }
        }
    }

    /// Moves every dead letter back into the spool, behind everything in it,
    /// as if it arrived at `nowMilliseconds` (so `max_age` counts from now),
    /// in one transaction. Only while perchd is not running: the spool of a
    /// running perchd numbers its messages in memory. Returns how many moved.
    public func requeueDeadLetters(nowMilliseconds: Int64) throws(SpoolStoreError) -> Int {
        let letters = try deadLetters()
        guard !letters.isEmpty else { return 0 }
        let next = try inventory().nextSequence
        let requeued = letters.enumerated().map { index, stored in
            SpooledMessage(
                sequence: next + UInt64(index), message: stored.deadLetter.message.message, arrivalMilliseconds: nowMilliseconds)
        }
        try withDatabase(during: "re-queueing \(letters.count) dead letters") { database in
            try database.transaction {
                try insert(requeued, into: database)
                try database.withStatement(SpoolTables.deleteDeadLetter) { statement in
                    for stored in letters {
                        try statement.bind(stored.id, at: 1)
                        try statement.run()
                        statement.reset()
                    }
                }
            }
        }
        return letters.count
    }

    /// A row of `SpoolTables.load` (or the same first eight columns of `listDeadLetters`).
    private func message(from row: borrowing SQLiteStatement) throws(SpoolStoreError) -> SpooledMessage {
        let sequence = try Self.sequence(row.int64(at: 0))
        let storedQoS = row.int64(at: 2)
        guard let raw = UInt8(exactly: storedQoS), let qos = MQTTQoS(rawValue: raw) else {
            throw SpoolStoreError(kind: .corrupt, message: "spool message \(sequence) has QoS \(storedQoS)")
        }
        let message = Message(
            topic: row.text(at: 6),
            payload: row.byteBuffer(at: 7, allocator: allocator),
            qos: qos,
            retain: row.int64(at: 3) != 0,
            contentType: row.isNull(at: 5) ? nil : row.text(at: 5),
            expiry: row.isNull(at: 4) ? nil : .milliseconds(row.int64(at: 4)))
        return SpooledMessage(sequence: sequence, message: message, arrivalMilliseconds: row.int64(at: 1))
    }

    // MARK: - Helpers

    /// Runs `body` on the connection and maps whatever it throws to a `SpoolStoreError`.
    private func withDatabase<Result: Sendable>(
        during action: String, _ body: (SQLiteDatabase) throws -> Result
    ) throws(SpoolStoreError) -> Result {
        do {
            return try database.withLock { database in try body(database) }
        } catch let error as SpoolStoreError {
            throw error
        } catch {
            let mapped = SpoolStoreError(error, during: action)
            logger.debug("spool store call failed", metadata: ["kind": "\(mapped.kind)", "error": "\(mapped)"])
            throw mapped
        }
    }

    /// A stored sequence as the spool's `UInt64`; a negative one (which the
    /// schema's CHECK forbids) means the file was altered behind our back.
    private static func sequence(_ stored: Int64) throws(SpoolStoreError) -> UInt64 {
        guard let sequence = UInt64(exactly: stored) else {
            throw SpoolStoreError(kind: .corrupt, message: "the spool holds a negative sequence \(stored)")
        }
        return sequence
    }

    /// `range` in SQLite's signed integers: the part of it at or below `Int64.max`,
    /// `nil` when none is.
    private static func storedBounds(_ range: ClosedRange<UInt64>) -> ClosedRange<Int64>? {
        guard let lower = Int64(exactly: range.lowerBound) else { return nil }
        return lower...Int64(clamping: range.upperBound)
    }

    /// A duration in whole milliseconds, clamped to what an Int64 holds.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? Int64.min : Int64.max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).partialValue
    }
}
