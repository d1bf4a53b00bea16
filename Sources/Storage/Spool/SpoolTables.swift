/// The spool's two tables in `perch.db` (``PerchDatabase/migrations`` step 2).
///
/// `spool_messages` holds one row per message. It follows the column list of
/// issue 4 with two changes, both for the cost of reading:
///
/// - The columns are stored fixed-size first and `payload` last. SQLite reads a
///   record only as far as the last column a query asks for, and a payload
///   larger than about a quarter of a page spills to overflow pages; with the
///   payload last, ``SQLiteSpoolStore/inventory()`` (which reads `seq`,
///   `arrival_ms` and `size`) never touches those pages.
/// - `CHECK` constraints pin what the store reads back (`seq ≥ 0`, `qos` 0…2,
///   `retain` 0/1), so a bad value is refused when it is written rather than
///   found after a restart.
///
/// `seq` is the rowid (`INTEGER PRIMARY KEY`): appends go to the right-hand
/// end of one B-tree, with no second index to keep.
///
/// `spool_sequence` is a one-row high-water mark: one past the highest sequence
/// ever committed. Without it, a spool emptied by deletes would hand out its
/// old sequence numbers again after a restart, and anything that remembered
/// one (a log line, a duplicate still in flight) would then name another
/// message. It is updated in the same transaction as the inserts.
enum SpoolTables {
    /// The migration that creates both tables.
    static let migration = SQLiteMigration(
        "spool: messages and the sequence high-water mark",
        sql: """
            CREATE TABLE spool_messages (
                seq INTEGER PRIMARY KEY CHECK (seq >= 0),
                arrival_ms INTEGER NOT NULL,
                size INTEGER NOT NULL,
                qos INTEGER NOT NULL CHECK (qos BETWEEN 0 AND 2),
                retain INTEGER NOT NULL CHECK (retain IN (0, 1)),
                expiry_ms INTEGER,
                content_type TEXT,
                topic TEXT NOT NULL,
                payload BLOB NOT NULL
            ) STRICT;
            CREATE TABLE spool_sequence (
                id INTEGER PRIMARY KEY CHECK (id = 0),
                next_seq INTEGER NOT NULL CHECK (next_seq >= 0)
            ) STRICT;
            INSERT INTO spool_sequence (id, next_seq) VALUES (0, 0);
            """)

    /// The dead letters (SPEC §5): messages acknowledged to their sender that
    /// the broker will never take, moved out of `spool_messages` in the
    /// transaction that writes them here. `id` orders them (AUTOINCREMENT: an
    /// id is never reused, so the newest are the highest even after deletes);
    /// `seq` is the spool sequence the message had.
    static let deadLettersMigration = SQLiteMigration(
        "spool: dead letters",
        sql: """
            CREATE TABLE spool_dead_letters (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                seq INTEGER NOT NULL,
                arrival_ms INTEGER NOT NULL,
                dead_ms INTEGER NOT NULL,
                size INTEGER NOT NULL,
                qos INTEGER NOT NULL CHECK (qos BETWEEN 0 AND 2),
                retain INTEGER NOT NULL CHECK (retain IN (0, 1)),
                expiry_ms INTEGER,
                content_type TEXT,
                topic TEXT NOT NULL,
                reason TEXT NOT NULL,
                payload BLOB NOT NULL
            ) STRICT
            """)

    static let insertDeadLetter = """
        INSERT INTO spool_dead_letters
            (seq, arrival_ms, size, qos, retain, expiry_ms, content_type, topic, payload, dead_ms, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Keeps the newest `DeadLetter.limit` rows.
    static let trimDeadLetters = """
        DELETE FROM spool_dead_letters WHERE id NOT IN (SELECT id FROM spool_dead_letters ORDER BY id DESC LIMIT ?)
        """

    static let countDeadLetters = "SELECT count(*) FROM spool_dead_letters"

    /// Every dead letter, oldest first, for `perchd spool dead-letters`: the
    /// columns of `load` first (one decoder reads both), then its own.
    static let listDeadLetters = """
        SELECT seq, arrival_ms, qos, retain, expiry_ms, content_type, topic, payload, id, dead_ms, reason
        FROM spool_dead_letters ORDER BY id
        """

    static let deleteDeadLetter = "DELETE FROM spool_dead_letters WHERE id = ?"

    /// One row; `INSERT OR REPLACE` so that a commit retried after a failure
    /// whose outcome was unknown (an I/O error at COMMIT) does not fail forever
    /// on its own earlier rows.
    static let insert = """
        INSERT OR REPLACE INTO spool_messages
            (seq, arrival_ms, size, qos, retain, expiry_ms, content_type, topic, payload)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// One range of sequences.
    static let deleteRange = "DELETE FROM spool_messages WHERE seq BETWEEN ? AND ?"

    /// Raises the high-water mark, never lowers it.
    static let raiseHighWater = """
        INSERT INTO spool_sequence (id, next_seq) VALUES (0, ?)
        ON CONFLICT (id) DO UPDATE SET next_seq = max(next_seq, excluded.next_seq)
        """

    /// The high-water mark (no row reads as 0).
    static let highWater = "SELECT coalesce(max(next_seq), 0) FROM spool_sequence"

    /// What ``SQLiteSpoolStore/inventory()`` sums into segments, in sequence order.
    ///
    /// Not `GROUP BY seq >> 8`: SQLite cannot tell that the expression follows the
    /// rowid order, so it sorts every row in a temporary B-tree first. Over a
    /// million rows that took 5.1 s against 1.4 s for this plain scan in rowid
    /// order (sqlite3 3.40.1 on the development machine), and the grouping is a
    /// comparison per row in Swift.
    static let accounting = "SELECT seq, size, arrival_ms FROM spool_messages ORDER BY seq"

    /// Messages in a range, in order, with a limit.
    static let load = """
        SELECT seq, arrival_ms, qos, retain, expiry_ms, content_type, topic, payload
        FROM spool_messages WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT ?
        """
}
