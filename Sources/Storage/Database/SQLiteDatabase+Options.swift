extension SQLiteDatabase {
    /// How a connection is opened. The defaults are what perchd uses.
    public struct Options: Sendable, Hashable {
        /// When SQLite waits for the disk at a commit.
        public enum Synchronous: String, Sendable, Hashable {
            /// fsync the WAL at every commit: a committed transaction survives power loss.
            case full = "FULL"
            /// fsync only at checkpoints: survives a crash of perchd, not a power loss.
            case normal = "NORMAL"
        }

        /// Create the file (mode 0600) when it does not exist; otherwise opening a missing file fails.
        public var createIfMissing: Bool
        /// Open read-only; every write then fails with `SQLITE_READONLY`.
        public var isReadOnly: Bool
        /// `PRAGMA synchronous`. FULL by default: SPEC §5 says an acknowledged
        /// message survives a power loss, and under WAL with NORMAL the last
        /// commits before a power cut can roll back. FULL costs one fsync per
        /// commit, which the callers keep rare by batching (SPEC §5: flash-friendly).
        public var synchronous: Synchronous
        /// How long a statement waits for another connection's lock (the spool and
        /// the client store share the file) before failing with `SQLITE_BUSY`.
        public var busyTimeout: Duration
        /// Keep the `-wal` and `-shm` files when this connection is the last to
        /// close (`SQLITE_FCNTL_PERSIST_WAL`). Off by default; on for a connection
        /// that only inspects a file which may then be moved aside with its WAL,
        /// since SQLite otherwise removes a WAL it cannot read at close.
        public var keepsWALOnClose: Bool

        /// Options with perchd's defaults: create, read-write, FULL, 5 s busy timeout.
        public init(
            createIfMissing: Bool = true, isReadOnly: Bool = false, synchronous: Synchronous = .full,
            busyTimeout: Duration = .seconds(5), keepsWALOnClose: Bool = false
        ) {
            self.createIfMissing = createIfMissing
            self.isReadOnly = isReadOnly
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.keepsWALOnClose = keepsWALOnClose
        }
    }
}
