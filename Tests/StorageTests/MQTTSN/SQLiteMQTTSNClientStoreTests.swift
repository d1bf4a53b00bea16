import Foundation
import PerchCore
import PerchTestKit
import Storage
import Testing

/// A stand-in for the shell's peer type: any Codable, Hashable value.
struct TestPeer: Codable, Hashable, Sendable {
    var host: String
    var port: Int
}

/// A record with registrations, subscriptions and a will, varied by `index`.
func makeRecord(_ clientID: String, index: Int = 0, will: Bool = true) throws -> MQTTSNClientRecord<TestPeer> {
    var registry = TopicRegistry()
    for topic in 0...index { _ = registry.register("sensors/\(clientID)/\(topic)") }
    return MQTTSNClientRecord(
        clientID: clientID, peer: TestPeer(host: "127.0.0.1", port: 40_000 + index), cleanSession: false,
        keepAliveSeconds: UInt16(30 + index), sleepSeconds: index.isMultiple(of: 2) ? nil : 600,
        registry: registry,
        subscriptions: [
            MQTTSNClientSubscription(filter: "cmd/\(clientID)/#", qos: 1),
            MQTTSNClientSubscription(filter: "cmd/led", qos: 2, topicID: 7, isPredefined: true),
        ],
        will: will ? MQTTSNWill(topic: "status/\(clientID)", payload: [0, 1, 0xFF], qos: 1, retain: true) : nil)
}

@Suite("SQLiteMQTTSNClientStore")
struct SQLiteMQTTSNClientStoreTests {
    private func load(_ store: SQLiteMQTTSNClientStore) throws -> [String: MQTTSNClientRecord<TestPeer>] {
        Dictionary(uniqueKeysWithValues: try store.loadClients(as: TestPeer.self).map { ($0.clientID, $0) })
    }

    @Test("a new state directory is created 0700, and an empty store loads nothing")
    func empty() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let stateDirectory = directory.file("var/lib/perch")
        let store = try SQLiteMQTTSNClientStore(stateDirectory: stateDirectory, logger: InMemoryLogStore().makeLogger(label: "t"))
        #expect(try store.loadClients(as: TestPeer.self).isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: stateDirectory)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: stateDirectory + "/perch.db")
        #expect((file[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("several records round-trip; replace and forget in one apply")
    func roundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: InMemoryLogStore().makeLogger(label: "t"))
        let records = try (0..<5).map { try makeRecord("client-\($0)", index: $0, will: $0 != 3) }
        try store.apply(storing: records, forgetting: [])
        #expect(try load(store) == Dictionary(uniqueKeysWithValues: records.map { ($0.clientID, $0) }))

        var replaced = records[1]
        replaced.peer = TestPeer(host: "::1", port: 1884)
        replaced.will = nil
        _ = replaced.registry.register("sensors/new")
        try store.apply(storing: [replaced], forgetting: ["client-0", "client-4", "never-stored"])
        let loaded = try load(store)
        #expect(loaded.keys.sorted() == ["client-1", "client-2", "client-3"])
        #expect(loaded["client-1"] == replaced)
        #expect(loaded["client-2"] == records[2])
    }

    @Test("a client id both forgotten and stored in one apply is stored")
    func forgetThenStore() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: InMemoryLogStore().makeLogger(label: "t"))
        let record = try makeRecord("a")
        try store.apply(storing: [record], forgetting: ["a"])
        #expect(try load(store)["a"] == record)
    }

    @Test("records survive closing and re-opening the file")
    func survivesReopen() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let logger = InMemoryLogStore().makeLogger(label: "t")
        let records = try (0..<3).map { try makeRecord("c\($0)", index: $0) }
        do {
            let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: logger)
            try store.apply(storing: records, forgetting: [])
        }
        let reopened = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: logger)
        #expect(try load(reopened).count == 3)
        #expect(try load(reopened)["c2"] == records[2])
    }

    @Test("a record that no longer decodes is skipped with a warning; the others load")
    func undecodableSkipped() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let logs = InMemoryLogStore()
        let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: logs.makeLogger(label: "t"))
        try store.apply(storing: [try makeRecord("good")], forgetting: [])
        let database = try SQLiteDatabase(path: PerchDatabase.path(inStateDirectory: directory.path))
        try database.execute(
            """
            INSERT INTO mqttsn_clients VALUES ('garbage', CAST('not json' AS BLOB), 0);
            INSERT INTO mqttsn_clients VALUES ('old-shape', CAST('{"clientID":"old-shape"}' AS BLOB), 0)
            """)

        let loaded = try store.loadClients(as: TestPeer.self)
        #expect(loaded.map(\.clientID) == ["good"])
        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(Set(warnings.compactMap { $0.metadata["client_id"]?.description }) == ["garbage", "old-shape"])
    }

    @Test("unknown fields are ignored and missing optional ones read as nil")
    func tolerantDecoding() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: InMemoryLogStore().makeLogger(label: "t"))
        let record = try makeRecord("future", index: 1)
        // A record from a perchd whose record type gained a field, and which left out the optional ones.
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any])
        object["fieldFromTheFuture"] = ["nested": true]
        object["will"] = nil
        object["sleepSeconds"] = nil
        let json = try JSONSerialization.data(withJSONObject: object)
        let database = try SQLiteDatabase(path: PerchDatabase.path(inStateDirectory: directory.path))
        try database.withStatement("INSERT INTO mqttsn_clients VALUES (?, ?, 0)") { statement in
            try statement.bind("future", at: 1)
            try statement.bind([UInt8](json), at: 2)
            try statement.run()
        }

        let loaded = try #require(try store.loadClients(as: TestPeer.self).first)
        var expected = record
        expected.will = nil
        expected.sleepSeconds = nil
        #expect(loaded == expected)
    }

    @Test("apply stores updated_at as the current Unix time")
    func updatedAt() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let store = try SQLiteMQTTSNClientStore(stateDirectory: directory.path, logger: InMemoryLogStore().makeLogger(label: "t"))
        let before = Int64(Date().timeIntervalSince1970)
        try store.apply(storing: [try makeRecord("t")], forgetting: [])
        let database = try SQLiteDatabase(path: PerchDatabase.path(inStateDirectory: directory.path))
        let stamp = try database.withStatement("SELECT updated_at FROM mqttsn_clients") { statement in
            _ = try statement.step()
            return statement.int64(at: 0)
        }
        #expect(stamp >= before && stamp <= before + 60)
    }

    @Test("a state directory path that is a regular file is a clear StorageError")
    func stateDirectoryIsAFile() throws {
        let directory = try TemporaryDirectory(prefix: "perch-storage")
        defer { directory.remove() }
        let file = try directory.write("x", to: "state")
        let error = try #require(thrownError(StorageError.self) {
            try SQLiteMQTTSNClientStore(stateDirectory: file, logger: InMemoryLogStore().makeLogger(label: "t"))
        })
        #expect(error.code == .stateDirectory)
        #expect(error.message.contains(file))
    }
}
