import Foundation
import PerchCore
import PerchTestKit
@testable import Storage
import Testing

@Suite("SQLiteSpoolStore: a full disk, atomic commits, error kinds")
struct SpoolStoreFaultTests {
    /// A store whose file may grow by at most `extraPages` pages past what it
    /// holds after migration (`PRAGMA max_page_count`, which fails with SQLITE_FULL).
    private func limitedStore(_ scratch: ScratchSpool, extraPages: Int) throws -> SQLiteSpoolStore {
        let database = try PerchDatabase.open(stateDirectory: scratch.directory.path)
        let pages = try database.withStatement("PRAGMA page_count") { statement in
            _ = try statement.step()
            return statement.int64(at: 0)
        }
        try database.execute("PRAGMA max_page_count = \(pages + Int64(extraPages))")
        return try SQLiteSpoolStore(database: database, logger: scratch.logs.makeLogger(label: "spool"))
    }

    @Test("a commit that fills the disk half way is reported as diskFull and leaves nothing of itself")
    func atomicCommit() throws {
        let scratch = try ScratchSpool()
        let store = try limitedStore(scratch, extraPages: 40)
        let first = makeSpooled(0..<100, payloadSize: 64)
        try store.commit(inserting: first, deleting: [])
        let before = try store.inventory()

        // 5000 × 1 KiB needs over a thousand pages: the limit is hit in the middle of the inserts.
        let large = makeSpooled(100..<5100, payloadSize: 1024)
        let error = try #require(thrownError(SpoolStoreError.self) {
            try store.commit(inserting: large, deleting: [0...49])
        })
        #expect(error.kind == .diskFull)
        #expect(error.message.contains("SQLITE_FULL"))
        #expect(error.message.contains("committing 5000 messages"))

        // Neither the inserts nor the delete happened; the high-water mark did not move.
        #expect(try store.inventory() == before)
        #expect(try store.loadAll() == first)

        // The store keeps working once the batch fits.
        try store.commit(inserting: makeSpooled(100..<110, payloadSize: 64), deleting: [0...49])
        #expect(try store.storedSequences() == Array(50..<110))
        store.close()
        #expect(try scratch.open().storedSequences() == Array(50..<110))
    }

    @Test("a commit of deletes works on a disk that has no room for more messages")
    func deleteWhenFull() throws {
        let scratch = try ScratchSpool()
        let store = try limitedStore(scratch, extraPages: 20)
        var next: UInt64 = 0
        // Fill until the limit answers diskFull, in batches of 32.
        var fullError: SpoolStoreError?
        for _ in 0..<200 where fullError == nil {
            do {
                try store.commit(inserting: makeSpooled(next..<next + 32, payloadSize: 256), deleting: [])
                next += 32
            } catch {
                fullError = error
            }
        }
        #expect(fullError?.kind == .diskFull)
        #expect(next > 0)
        // Dropping the oldest makes room (overflow: drop_oldest).
        try store.commit(inserting: [], deleting: [0...(next / 2)])
        try store.commit(inserting: makeSpooled(next..<next + 8, payloadSize: 256), deleting: [])
        #expect(try store.storedSequences().last == next + 7)
    }

    @Test(
        "SQLite errors map to the spool's kinds",
        arguments: [
            // SQLITE_FULL
            (SQLiteError(extendedCode: 13, message: "database or disk is full", operation: "step"), SpoolStoreError.Kind.diskFull),
            // SQLITE_IOERR_WRITE from a write past RLIMIT_FSIZE (SIGXFSZ ignored)
            (SQLiteError(extendedCode: 778, message: "disk I/O error", operation: "step", systemErrno: EFBIG), .diskFull),
            // SQLITE_IOERR_FSYNC on a full disk
            (SQLiteError(extendedCode: 1034, message: "disk I/O error", operation: "step", systemErrno: ENOSPC), .diskFull),
            // SQLITE_IOERR_READ from a failing device
            (SQLiteError(extendedCode: 266, message: "disk I/O error", operation: "step", systemErrno: EIO), .failed),
            // SQLITE_CORRUPT, SQLITE_NOTADB
            (SQLiteError(extendedCode: 11, message: "database disk image is malformed", operation: "step"), .corrupt),
            (SQLiteError(extendedCode: 26, message: "file is not a database", operation: "open"), .corrupt),
            // SQLITE_BUSY, SQLITE_READONLY
            (SQLiteError(extendedCode: 5, message: "database is locked", operation: "BEGIN"), .failed),
            (SQLiteError(extendedCode: 8, message: "attempt to write a readonly database", operation: "step"), .failed),
        ] as [(SQLiteError, SpoolStoreError.Kind)])
    func errorKinds(error: SQLiteError, kind: SpoolStoreError.Kind) {
        let mapped = SpoolStoreError(error, during: "committing 3 messages")
        #expect(mapped.kind == kind)
        #expect(mapped.message.hasPrefix("committing 3 messages failed: "))
        #expect(mapped.message.contains(error.message))
    }

    @Test("an error that is not SQLite's is failed, and says what was being done")
    func otherErrors() {
        let mapped = SpoolStoreError(
            StorageError(code: .newerSchema, message: "written by a newer perchd"), during: "opening the spool")
        #expect(mapped.kind == .failed)
        #expect(mapped.message == "opening the spool failed: written by a newer perchd")
    }

    @Test("a file damaged under an open store reads as corrupt")
    func corruptUnderneath() throws {
        let scratch = try ScratchSpool()
        do {
            let store = try scratch.open()
            try store.commit(inserting: makeSpooled(0..<2000, payloadSize: 64), deleting: [])
            store.close()
        }
        try overwritePages(of: scratch.databasePath, from: 3, count: 4)
        let store = try scratch.open()
        let error = try #require(thrownError(SpoolStoreError.self) {
            _ = try store.inventory()
            _ = try store.loadAll()
        })
        #expect(error.kind == .corrupt)
    }
}
