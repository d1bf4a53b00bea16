import Foundation
import PerchCore
import PerchTestKit
import Storage
import Testing

@Suite("SQLiteMQTTSNClientStore across a writer killed with SIGKILL")
struct ClientStoreCrashTests {
    @Test(
        "a commit survives kill -9 of the next writer, whose open transaction leaves no trace",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")),
        .timeLimit(.minutes(1)))
    func killedWriter() async throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let logger = InMemoryLogStore().makeLogger(label: "t")
        let records = try (0..<3).map { try makeRecord("c\($0)", index: $0) }
        do {
            let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: logger)
            try store.apply(storing: records, forgetting: [])
        }

        // Another process commits a delete of c0, then opens a transaction that
        // deletes everything, says so on stderr (closing the -output file
        // flushes it) and never ends; it is killed there.
        let file = PerchDatabase.path(inStateDirectory: directory.path)
        let child = try ChildProcess.start(
            "/usr/bin/sqlite3",
            arguments: [
                "-cmd", "DELETE FROM mqttsn_clients WHERE client_id = 'c0';",
                "-cmd", "BEGIN; DELETE FROM mqttsn_clients;",
                "-cmd", ".output /dev/stderr", "-cmd", "SELECT 'deleted-' || changes();", "-cmd", ".output stdout",
                file,
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;",
            ])
        try await child.waitForLine(containing: "deleted-2", timeout: .seconds(20))
        child.kill()
        #expect(try await child.waitForExit(timeout: .seconds(10)) == .signalled(SIGKILL))

        let reopened = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: logger)
        let loaded = try reopened.loadClients(as: TestPeer.self).sorted { $0.clientID < $1.clientID }
        #expect(loaded == Array(records.dropFirst()))
    }
}
