import NIOCore
import Storage
import PerchTestKit
import Testing

@Suite("SQLiteStatement: binding, stepping and reading columns")
struct SQLiteStatementTests {
    private func makeTable() throws -> (ScratchDatabase, SQLiteDatabase) {
        let scratch = try ScratchDatabase()
        let database = try scratch.open()
        try database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB)")
        return (scratch, database)
    }

    private func insert(_ database: SQLiteDatabase, _ bind: (borrowing SQLiteStatement) throws -> Void) throws {
        try database.withStatement("INSERT INTO t (i, r, s, b) VALUES (?, ?, ?, ?)") { statement in
            try bind(statement)
            try statement.run()
        }
    }

    @Test("every column type round-trips, extremes included")
    func columnTypes() throws {
        let (scratch, database) = try makeTable()
        _ = scratch
        let text = "zone/\u{00E9}t\u{00E9}/\u{1F331}\u{0000}tail"
        let bytes: [UInt8] = [0, 1, 0xFF, 0x80, 0]
        try insert(database) { statement in
            try statement.bind(Int64.min, at: 1)
            try statement.bind(-1.5e300, at: 2)
            try statement.bind(text, at: 3)
            try statement.bind(bytes, at: 4)
        }
        try insert(database) { statement in
            try statement.bind(Int64.max, at: 1)
            try statement.bind(Double.pi, at: 2)
            try statement.bind("", at: 3)
            try statement.bind([UInt8](), at: 4)
        }
        try insert(database) { statement in
            try statement.bindNull(at: 1)
            try statement.bindNull(at: 2)
            try statement.bindNull(at: 3)
            try statement.bindNull(at: 4)
        }

        try database.withStatement("SELECT i, r, s, b FROM t ORDER BY id") { statement in
            #expect(statement.columnCount == 4)
            let hasRow1 = try statement.step()
            #expect(hasRow1)
            #expect(statement.columnType(at: 0) == .integer)
            #expect(statement.columnType(at: 1) == .real)
            #expect(statement.columnType(at: 2) == .text)
            #expect(statement.columnType(at: 3) == .blob)
            #expect(statement.int64(at: 0) == Int64.min)
            #expect(statement.double(at: 1) == -1.5e300)
            #expect(statement.text(at: 2) == text)
            #expect(statement.blob(at: 3) == bytes)

            let hasRow2 = try statement.step()

            #expect(hasRow2)
            #expect(statement.int64(at: 0) == Int64.max)
            #expect(statement.double(at: 1) == Double.pi)
            // Empty text and empty blob stay empty values, not NULL.
            #expect(statement.columnType(at: 2) == .text)
            #expect(statement.text(at: 2) == "")
            #expect(statement.columnType(at: 3) == .blob)
            #expect(statement.blob(at: 3) == [])

            let hasRow3 = try statement.step()

            #expect(hasRow3)
            for column in 0..<4 { #expect(statement.isNull(at: column) == true) }
            #expect(statement.blob(at: 3) == [])

            let hasMore = try statement.step()

            #expect(!hasMore)
        }
    }

    @Test("a ByteBuffer binds its readable bytes and reads back as a ByteBuffer")
    func byteBuffer() throws {
        let (scratch, database) = try makeTable()
        _ = scratch
        var buffer = ByteBuffer(bytes: [9, 9, 1, 2, 3])
        buffer.moveReaderIndex(forwardBy: 2)
        try insert(database) { statement in
            try statement.bind(1, at: 1)
            try statement.bind(0.0, at: 2)
            try statement.bind("x", at: 3)
            try statement.bind(buffer, at: 4)
        }
        try database.withStatement("SELECT b FROM t") { statement in
            let hasRow4 = try statement.step()
            #expect(hasRow4)
            #expect(statement.byteBuffer(at: 0) == ByteBuffer(bytes: [1, 2, 3]))
            statement.withUnsafeBlob(at: 0) { #expect(Array($0) == [1, 2, 3]) }
        }
    }

    @Test("the cached statement starts without the last use's bindings")
    func cachedStatementIsCleared() throws {
        let (scratch, database) = try makeTable()
        _ = scratch
        let sql = "INSERT INTO t (i) VALUES (?)"
        try database.withStatement(sql) { statement in
            try statement.bind(5, at: 1)
            try statement.run()
        }
        try database.withStatement(sql) { statement in try statement.run() }
        var values: [Bool] = []
        try database.withStatement("SELECT i FROM t ORDER BY id") { statement in
            try statement.forEachRow { row in values.append(row.isNull(at: 0)) }
        }
        #expect(values == [false, true])
    }

    @Test("reset runs the same statement again with its bindings")
    func reset() throws {
        let (scratch, database) = try makeTable()
        _ = scratch
        try database.withStatement("INSERT INTO t (i) VALUES (?)") { statement in
            try statement.bind(7, at: 1)
            try statement.run()
            statement.reset()
            try statement.run()
        }
        #expect(database.changes == 1)
        let sum = try database.withStatement("SELECT sum(i) FROM t") { statement in
            _ = try statement.step()
            return statement.int64(at: 0)
        }
        #expect(sum == 14)
    }

    @Test("a parameter index out of range is SQLITE_RANGE")
    func rangeError() throws {
        let (scratch, database) = try makeTable()
        _ = scratch
        let error = try #require(thrownError(SQLiteError.self) {
            try database.withStatement("INSERT INTO t (i) VALUES (?)") { statement in try statement.bind(1, at: 2) }
        })
        #expect(error.code == .range)
    }

    @Test("a constraint violation keeps its extended code")
    func constraint() throws {
        let (scratch, database) = try makeTable()
        _ = scratch
        try database.execute("INSERT INTO t (id) VALUES (1)")
        let error = try #require(thrownError(SQLiteError.self) { try database.execute("INSERT INTO t (id) VALUES (1)") })
        #expect(error.code == .constraint)
        #expect(error.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
    }
}
