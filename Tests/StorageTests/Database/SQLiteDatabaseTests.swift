import Foundation
import PerchTestKit
import Storage
import Testing

@Suite("SQLiteDatabase: opening and creating")
struct SQLiteDatabaseTests {
    @Test("creates the file with mode 0600, in WAL mode, with foreign keys on")
    func createsFile() throws {
        let scratch = try ScratchDatabase()
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
        let database = try scratch.open()
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try database.withStatement("PRAGMA journal_mode") { statement in
            let hasRow1 = try statement.step()
            #expect(hasRow1)
            #expect(statement.text(at: 0) == "wal")
        }
        try database.withStatement("PRAGMA foreign_keys") { statement in
            let hasRow2 = try statement.step()
            #expect(hasRow2)
            #expect(statement.int64(at: 0) == 1)
        }
        try database.withStatement("PRAGMA synchronous") { statement in
            let hasRow3 = try statement.step()
            #expect(hasRow3)
            #expect(statement.int64(at: 0) == 2)  // FULL
        }
    }

    @Test("re-opening keeps the data")
    func reopens() throws {
        let scratch = try ScratchDatabase()
        do {
            let database = try scratch.open()
            try database.execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42)")
            database.close()
        }
        let database = try scratch.open()
        let value = try database.withStatement("SELECT v FROM t") { statement in
            let hasRow4 = try statement.step()
            #expect(hasRow4)
            return statement.int64(at: 0)
        }
        #expect(value == 42)
    }

    @Test("a missing file is not created when createIfMissing is off")
    func missingFile() throws {
        let scratch = try ScratchDatabase()
        let error = try #require(thrownError(SQLiteError.self) {
            try scratch.open(SQLiteDatabase.Options(createIfMissing: false))
        })
        #expect(error.code == .cantOpen)
        #expect(error.operation.contains(scratch.path))
    }

    @Test("a path under a regular file fails with SQLITE_CANTOPEN")
    func cantOpen() throws {
        // Tests run as root, so permissions cannot make a directory unwritable:
        // a parent that is a regular file can never hold the database.
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let parent = try directory.write("not a directory", to: "file")
        let error = try #require(thrownError(SQLiteError.self) {
            try SQLiteDatabase(path: parent + "/perch.db")
        })
        #expect(error.code == .cantOpen)
        #expect(error.isUnusableFile)
        #expect(error.description.contains("SQLITE_CANTOPEN"))
    }

    @Test("a write through a read-only connection fails with SQLITE_READONLY")
    func readOnly() throws {
        let scratch = try ScratchDatabase()
        try scratch.open().execute("CREATE TABLE t (v INTEGER)")
        let database = try scratch.open(SQLiteDatabase.Options(isReadOnly: true))
        let error = try #require(thrownError(SQLiteError.self) {
            try database.execute("INSERT INTO t VALUES (1)")
        })
        #expect(error.code == .readOnly)
        #expect(error.isUnusableFile)
        #expect(!error.isDiskFull)
    }

    @Test("a file that is not a database fails at open with SQLITE_NOTADB")
    func notADatabase() throws {
        let scratch = try ScratchDatabase()
        try String(repeating: "this is not an SQLite database. ", count: 200)
            .write(toFile: scratch.path, atomically: false, encoding: .utf8)
        let error = try #require(thrownError(SQLiteError.self) { try scratch.open() })
        #expect(error.code == .notADatabase)
        #expect(error.isUnusableFile)
        #expect(error.description.contains("SQLITE_NOTADB"))
        #expect(error.operation.contains("journal_mode"))
    }

    @Test("a damaged file fails with SQLITE_CORRUPT or SQLITE_NOTADB")
    func corrupt() throws {
        let scratch = try ScratchDatabase()
        do {
            let database = try scratch.open()
            try database.execute(
                "CREATE TABLE t (v BLOB); INSERT INTO t VALUES (zeroblob(20000)); PRAGMA wal_checkpoint(TRUNCATE)")
            database.close()
        }
        // Keep the header, scribble over the schema page and what follows.
        let handle = try #require(FileHandle(forUpdatingAtPath: scratch.path))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8000))
        try handle.close()

        let error = try #require(thrownError(SQLiteError.self) {
            let database = try scratch.open()
            try database.withStatement("SELECT count(*) FROM t") { statement in _ = try statement.step() }
        })
        #expect(error.code == .corrupt || error.code == .notADatabase)
        #expect(error.isUnusableFile)
    }

    @Test("a closed database refuses work with SQLITE_MISUSE")
    func closed() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        database.close()
        let error = try #require(thrownError(SQLiteError.self) { try database.execute("SELECT 1") })
        #expect(error.code == .misuse)
    }

    @Test("SQL errors carry SQLite's message and the statement")
    func syntaxError() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        let error = try #require(thrownError(SQLiteError.self) {
            try database.withStatement("SELEKT 1") { _ in }
        })
        #expect(error.code == .error)
        #expect(error.message.contains("syntax error"))
        #expect(error.operation == "prepare SELEKT 1")
    }

    @Test("SQLITE_FULL when the page limit is reached, recognisable as a full disk")
    func full() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        try database.execute("CREATE TABLE t (v BLOB)")
        _ = try database.withStatement("PRAGMA max_page_count = 8") { statement in try statement.step() }
        let error = try #require(thrownError(SQLiteError.self) {
            try database.transaction {
                for _ in 0..<64 {
                    try database.withStatement("INSERT INTO t VALUES (?)") { statement in
                        try statement.bind([UInt8](repeating: 7, count: 4096), at: 1)
                        try statement.run()
                    }
                }
            }
        })
        #expect(error.code == .full)
        #expect(error.isDiskFull)
        #expect(!database.isInTransaction)
        // Still usable afterwards: the failed transaction is gone, the table is there.
        let count = try database.withStatement("SELECT count(*) FROM t") { statement in
            _ = try statement.step()
            return statement.int64(at: 0)
        }
        #expect(count == 0)
    }
}
