import Storage
import PerchTestKit
import Testing

@Suite("SQLiteDatabase.migrate")
struct SQLiteMigrationTests {
    private let steps = [
        SQLiteMigration("first table", sql: "CREATE TABLE a (v INTEGER)"),
        SQLiteMigration("second table", sql: "CREATE TABLE b (v INTEGER); INSERT INTO b VALUES (1)"),
    ]

    @Test("a fresh file runs every step and ends at the last version")
    func fresh() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        #expect(try database.schemaVersion == 0)
        #expect(try database.migrate(steps) == ["first table", "second table"])
        #expect(try database.schemaVersion == 2)
        try database.execute("INSERT INTO a VALUES (1)")
    }

    @Test("re-opening runs nothing again; a longer list runs only the new steps")
    func reopen() throws {
        let scratch = try ScratchDatabase()
        try scratch.open().migrate(Array(steps.prefix(1)))
        let database = try scratch.open()
        #expect(try database.migrate(Array(steps.prefix(1))) == [])
        #expect(try database.migrate(steps) == ["second table"])
        #expect(try database.migrate(steps) == [])
        let rows = try database.withStatement("SELECT count(*) FROM b") { statement in
            _ = try statement.step()
            return statement.int64(at: 0)
        }
        #expect(rows == 1)
    }

    @Test("a file from a newer perchd is refused, and left as it is")
    func newer() throws {
        let scratch = try ScratchDatabase()
        try scratch.open().migrate(steps)
        let database = try scratch.open()
        let error = try #require(thrownError(StorageError.self) { try database.migrate(Array(steps.prefix(1))) })
        #expect(error.code == .newerSchema)
        #expect(error.message.contains("newer perchd"))
        #expect(error.message.contains(scratch.path))
        #expect(try database.schemaVersion == 2)
    }

    @Test("a failing step is rolled back whole and the version stays")
    func failingStep() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        let broken = steps + [SQLiteMigration("broken", sql: "CREATE TABLE c (v INTEGER); INSERT INTO missing VALUES (1)")]
        #expect(throws: SQLiteError.self) { try database.migrate(broken) }
        #expect(try database.schemaVersion == 2)
        #expect(throws: SQLiteError.self) { try database.execute("SELECT * FROM c") }
    }
}
