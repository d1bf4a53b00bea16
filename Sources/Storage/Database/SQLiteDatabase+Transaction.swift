extension SQLiteDatabase {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// The outermost level is `BEGIN IMMEDIATE`, which takes the write lock at
    /// once (waiting up to the busy timeout) rather than failing with
    /// `SQLITE_BUSY` halfway through when a read would have to become a write. A
    /// nested call becomes a savepoint, so a step that fails undoes only itself.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        let savepoint = "perch_\(transactionDepth)"
        let isOutermost = !isInTransaction
        try execute(isOutermost ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }

        let result: Result
        do {
            result = try body()
        } catch {
            rollBack(isOutermost: isOutermost, savepoint: savepoint)
            throw error
        }
        do {
            try execute(isOutermost ? "COMMIT" : "RELEASE \(savepoint)")
        } catch {
            // A failed COMMIT (e.g. SQLITE_FULL, SQLITE_BUSY) leaves the transaction open.
            rollBack(isOutermost: isOutermost, savepoint: savepoint)
            throw error
        }
        return result
    }

    private func rollBack(isOutermost: Bool, savepoint: String) {
        // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR…);
        // a second ROLLBACK would fail with "no transaction is active". The error
        // that got us here is the one worth reporting, so this one's is dropped.
        guard isInTransaction else { return }
        if isOutermost {
            try? execute("ROLLBACK")
        } else {
            try? execute("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
        }
    }
}
