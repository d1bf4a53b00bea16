import Foundation
import PerchCore
import PerchTestKit
import Storage
import Testing

@Suite("SQLiteSpoolStore across a writer killed with SIGKILL")
struct SpoolStoreCrashTests {
    @Test(
        "a writer killed in the middle of a large transaction leaves the file readable, with every commit and nothing else",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")),
        .timeLimit(.minutes(1)))
    func killedWriter() async throws {
        let scratch = try ScratchSpool()
        let committed = makeSpooled(0..<1000, payloadSize: 64)
        do {
            let store = try scratch.open()
            try store.commit(inserting: committed, deleting: [])
            store.close()
        }

        // Another process commits a delete of 0…9, then inserts 200,000 rows in
        // one transaction (far more than its page cache, so uncommitted frames
        // spill into the WAL), says so on stderr and never commits; it is killed there.
        let insert = """
            BEGIN; INSERT INTO spool_messages (seq, arrival_ms, size, qos, retain, topic, payload)
            WITH RECURSIVE c(x) AS (SELECT 1000 UNION ALL SELECT x + 1 FROM c WHERE x < 200999)
            SELECT x, x, 84, 1, 0, 'site/greenhouse-pi/sensors/' || x, randomblob(64) FROM c;
            """
        let child = try ChildProcess.start(
            "/usr/bin/sqlite3",
            arguments: [
                "-cmd", "DELETE FROM spool_messages WHERE seq < 10;",
                "-cmd", insert,
                "-cmd", ".output /dev/stderr", "-cmd", "SELECT 'inserted-' || changes();", "-cmd", ".output stdout",
                scratch.databasePath,
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;",
            ])
        try await child.waitForLine(containing: "inserted-200000", timeout: .seconds(40))
        // The uncommitted rows reached the WAL file, so recovery has something to ignore.
        #expect(try fileSize(scratch.databasePath + "-wal") > 1 << 20)
        child.kill()
        #expect(try await child.waitForExit(timeout: .seconds(10)) == .signalled(SIGKILL))

        #expect(try PerchDatabase.prepare(stateDirectory: scratch.directory.path) == nil)
        let store = try scratch.open()
        let inventory = try store.inventory()
        #expect(inventory.nextSequence == 1000)
        #expect(inventory.segments.map(\.count).reduce(0, +) == 990)
        #expect(try store.loadAll() == Array(committed.dropFirst(10)))
        // And the file takes new commits.
        try store.commit(inserting: makeSpooled(1000..<1010, payloadSize: 64), deleting: [])
        #expect(try store.inventory().nextSequence == 1010)
    }
}
