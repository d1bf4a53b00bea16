import Storage
import Testing

@Suite("SQLiteDatabase.transaction")
struct SQLiteTransactionTests {
    private struct Refusal: Error {}

    private func count(_ database: SQLiteDatabase) throws -> Int64 {
        try database.withStatement("SELECT count(*) FROM t") { statement in
            _ = try statement.step()
            return statement.int64(at: 0)
        }
    }

    @Test("commits when the body returns, and passes its result through")
    func commits() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        try database.execute("CREATE TABLE t (v INTEGER)")
        let result = try database.transaction {
            try database.execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")
            #expect(database.isInTransaction)
            return "done"
        }
        #expect(result == "done")
        #expect(!database.isInTransaction)
        #expect(try count(try scratch.open()) == 2)
    }

    @Test("rolls back everything when the body throws, and rethrows that error")
    func rollsBack() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        try database.execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (0)")
        #expect(throws: Refusal.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (1); DELETE FROM t WHERE v = 0")
                throw Refusal()
            }
        }
        #expect(!database.isInTransaction)
        #expect(try count(database) == 1)
    }

    @Test("a nested transaction that throws undoes only itself")
    func nested() throws {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        try database.execute("CREATE TABLE t (v INTEGER)")
        try database.transaction {
            try database.execute("INSERT INTO t VALUES (1)")
            #expect(throws: Refusal.self) {
                try database.transaction {
                    try database.execute("INSERT INTO t VALUES (2)")
                    throw Refusal()
                }
            }
            try database.transaction { try database.execute("INSERT INTO t VALUES (3)") }
        }
        var values: [Int64] = []
        try database.withStatement("SELECT v FROM t ORDER BY v") { statement in
            try statement.forEachRow { values.append($0.int64(at: 0)) }
        }
        #expect(values == [1, 3])
    }

    @Test("a second connection waits for the writer, then sees its commit")
    func twoConnections() throws {
        let scratch = try ScratchDatabase()
        let writer = try scratch.open()
        try writer.execute("CREATE TABLE t (v INTEGER)")
        let reader = try scratch.open()
        try writer.transaction {
            try writer.execute("INSERT INTO t VALUES (1)")
            // WAL: a reader is not blocked by an open write transaction, and does not see it.
            #expect(try count(reader) == 0)
        }
        #expect(try count(reader) == 1)
    }
}
