import Foundation
import PerchCore
import PerchTestKit
import Storage
import Testing

@Suite("PerchDatabase.prepare: a damaged state file is moved aside, a sound one left alone")
struct PerchDatabaseRecoveryTests {
    /// 2026-11-22 00:46:05 UTC.
    private let now = Date(timeIntervalSince1970: 1_795_308_365)
    private let stamp = "20261122T004605Z"

    /// A state directory whose `perch.db` holds client records and a few hundred spooled messages.
    private func populated() throws -> ScratchSpool {
        let scratch = try ScratchSpool()
        let clients = try SQLiteMQTTSNClientStore(stateDirectory: scratch.directory.path, logger: scratch.logs.makeLogger(label: "c"))
        try clients.apply(storing: [try makeRecord("c1", index: 1), try makeRecord("c2", index: 2)], forgetting: [])
        let spool = try scratch.open()
        try spool.commit(inserting: makeSpooled(0..<600, payloadSize: 64), deleting: [])
        spool.close()
        return scratch
    }

    /// Runs `prepare` on a damaged file and checks what every damaged file must end up as.
    private func expectMovedAside(_ scratch: ScratchSpool, originalBytes: Data) throws -> PerchDatabase.Recovery {
        let recovery = try #require(try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: now))
        #expect(recovery.movedAsidePath == scratch.databasePath + ".corrupt-" + stamp)
        #expect(!recovery.reason.isEmpty)
        #expect(recovery.description.contains(recovery.movedAsidePath))
        // The damaged bytes are kept, untouched, for the operator.
        #expect(try Data(contentsOf: URL(fileURLWithPath: recovery.movedAsidePath)) == originalBytes)
        // A fresh, empty, working file is in its place.
        let store = try scratch.open()
        #expect(try store.inventory() == SpoolInventory(segments: [], nextSequence: 0))
        try store.commit(inserting: makeSpooled(0..<3), deleting: [])
        #expect(try store.storedSequences() == [0, 1, 2])
        let clients = try SQLiteMQTTSNClientStore(stateDirectory: scratch.directory.path, logger: scratch.logs.makeLogger(label: "c"))
        #expect(try clients.loadClients(as: TestPeer.self).isEmpty)
        return recovery
    }

    @Test("a file of garbage bytes")
    func garbage() throws {
        let scratch = try ScratchSpool()
        let bytes = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try bytes.write(to: URL(fileURLWithPath: scratch.databasePath))
        let recovery = try expectMovedAside(scratch, originalBytes: bytes)
        #expect(recovery.reason.contains("SQLITE_NOTADB"))
    }

    @Test("a file truncated in the middle of its pages")
    func truncated() throws {
        let scratch = try populated()
        let size = try fileSize(scratch.databasePath)
        #expect(size > 20 * 4096)
        // Half the pages, and half a page: the header still promises them all.
        try truncate(scratch.databasePath, to: (size / 4096 / 2) * 4096 + 2048)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.databasePath))
        _ = try expectMovedAside(scratch, originalBytes: bytes)
    }

    @Test("a sound header with a damaged page further in")
    func damagedPage() throws {
        let scratch = try populated()
        let size = try fileSize(scratch.databasePath)
        // A page of the spool's B-tree, near the end of the file.
        try overwritePages(of: scratch.databasePath, from: size / 4096 - 2, count: 1)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.databasePath))
        let recovery = try expectMovedAside(scratch, originalBytes: bytes)
        #expect(recovery.reason.contains("quick_check") || recovery.reason.contains("SQLITE_CORRUPT"))
    }

    @Test("the -wal and -shm move with the file, under the same name")
    func walMovesToo() throws {
        let scratch = try ScratchSpool()
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: scratch.databasePath))
        try Data(repeating: 0x17, count: 4096).write(to: URL(fileURLWithPath: scratch.databasePath + "-wal"))
        try Data(repeating: 0x00, count: 32768).write(to: URL(fileURLWithPath: scratch.databasePath + "-shm"))
        let recovery = try #require(try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: now))
        #expect(FileManager.default.fileExists(atPath: recovery.movedAsidePath))
        #expect(FileManager.default.fileExists(atPath: recovery.movedAsidePath + "-wal"))
        #expect(FileManager.default.fileExists(atPath: recovery.movedAsidePath + "-shm"))
        #expect(try fileSize(recovery.movedAsidePath + "-wal") == 4096)
        // The fresh file is sound and not the old WAL's.
        #expect(try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: now) == nil)
    }

    @Test("two recoveries in the same second keep both files")
    func sameSecond() throws {
        let scratch = try ScratchSpool()
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: scratch.databasePath))
        let first = try #require(try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: now))
        try Data(repeating: 0x43, count: 8192).write(to: URL(fileURLWithPath: scratch.databasePath))
        try? FileManager.default.removeItem(atPath: scratch.databasePath + "-wal")
        try? FileManager.default.removeItem(atPath: scratch.databasePath + "-shm")
        let second = try #require(try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: now))
        #expect(first.movedAsidePath != second.movedAsidePath)
        #expect(second.movedAsidePath == first.movedAsidePath + "-1")
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.movedAsidePath)) == Data(repeating: 0x42, count: 8192))
    }

    @Test("a sound file is left untouched, with the client records and the spool readable")
    func soundFile() throws {
        let scratch = try populated()
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.databasePath))
        #expect(try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: now) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.databasePath)) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)
        #expect(!names.contains { $0.contains("corrupt") })

        let clients = try SQLiteMQTTSNClientStore(stateDirectory: scratch.directory.path, logger: scratch.logs.makeLogger(label: "c"))
        #expect(try clients.loadClients(as: TestPeer.self).map(\.clientID).sorted() == ["c1", "c2"])
        #expect(try scratch.open().storedSequences() == Array(0..<600))
    }

    @Test("a missing file is created; a missing state directory too")
    func missing() throws {
        let directory = try TemporaryDirectory(prefix: "perch-spool")
        defer { directory.remove() }
        let state = directory.file("var/lib/perch")
        #expect(try PerchDatabase.prepare(stateDirectory: state, now: now) == nil)
        #expect(FileManager.default.fileExists(atPath: PerchDatabase.path(inStateDirectory: state)))
    }

    @Test("a state directory that is a file throws: it cannot be used at all")
    func unusableDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "perch-spool")
        defer { directory.remove() }
        let file = try directory.write("x", to: "state")
        #expect(throws: StorageError.self) { try PerchDatabase.prepare(stateDirectory: file, now: now) }
    }

    @Test("the timestamp is UTC, ISO 8601 basic")
    func timestamp() throws {
        let scratch = try ScratchSpool()
        try Data("not a database, not at all; more than a header's worth of text.....".utf8)
            .write(to: URL(fileURLWithPath: scratch.databasePath))
        let recovery = try #require(
            try PerchDatabase.prepare(stateDirectory: scratch.directory.path, now: Date(timeIntervalSince1970: 0)))
        #expect(recovery.movedAsidePath.hasSuffix("perch.db.corrupt-19700101T000000Z"))
    }
}
