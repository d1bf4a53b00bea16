import Logging
import MQTTSNCodec
@testable import MQTTSNServer
import NIOCore
import PerchCore
import PerchTestKit
import Storage
import Synchronization
import Testing

/// The real SQLite store, counted: every `apply` is one transaction on disk.
final class CountingStore: MQTTSNClientStoring {
    let store: SQLiteMQTTSNClientStore
    let applies = Mutex(0)
    let applied: AsyncStream<Int>
    private let signal: AsyncStream<Int>.Continuation

    init(directory: String) throws {
        store = try SQLiteMQTTSNClientStore(stateDirectory: directory, logger: Logger(label: "test"))
        (applied, signal) = AsyncStream.makeStream(of: Int.self)
    }

    func loadClients<Peer: Codable & Hashable & Sendable>(as peer: Peer.Type) throws -> [MQTTSNClientRecord<Peer>] {
        try store.loadClients(as: peer)
    }

    func apply<Peer: Codable & Hashable & Sendable>(storing records: [MQTTSNClientRecord<Peer>], forgetting forgotten: [String]) throws {
        try store.apply(storing: records, forgetting: forgotten)
        signal.yield(applies.withLock { count in
            count += 1
            return count
        })
    }
}

@Suite("MQTTSNServer: client records in the store")
struct PersistenceTests {
    @Test("a burst is written in one or two transactions; an idle gateway then writes nothing")
    func burstThenIdle() async throws {
        let directory = try TemporaryDirectory(prefix: "perch-sn-store")
        defer { directory.remove() }
        let store = try CountingStore(directory: directory.path)
        // A long interval, so that a slow machine still fits the burst in one.
        let harness = try await ServerHarness.start(store: store, storeInterval: .milliseconds(200))
        let client = try await harness.client()
        #expect(try await client.connect(clientID: "burst", cleanSession: false) == .connAck(.accepted))
        for index in 1...5 {
            try await client.send(.register(MQTTSNRegister(topicID: 0, messageID: UInt16(index), topicName: "b/\(index)")))
        }
        for _ in 1...5 {
            let reply = try await client.next()
            guard case .regAck = reply else {
                Issue.record("expected REGACK, got \(reply)")
                return
            }
        }
        // Six record changes (CONNECT, five REGISTERs) in well under one interval.
        let first = try await withTimeout(.seconds(5), waitingFor: "the first write") { [store] in
            var iterator = store.applied.makeAsyncIterator()
            return await iterator.next() ?? 0
        }
        #expect(first == 1)
        // Idle now: over three intervals nothing more may be written but, at
        // most, the part of the burst that fell into a second interval.
        let late = try? await withTimeout(.milliseconds(600), waitingFor: "no write") { [store] in
            var iterator = store.applied.makeAsyncIterator()
            while let count = await iterator.next(), count < 3 {}
            return true
        }
        #expect(late == nil, "an idle gateway kept writing: \(store.applies.withLock { $0 }) transactions")
        #expect(store.applies.withLock { $0 } <= 2)

        let records = try store.loadClients(as: MQTTSNPeer.self)
        let record = try #require(records.first { $0.clientID == "burst" })
        #expect(!record.cleanSession)
        #expect(record.registry.count == 5)
        await client.close()
        await harness.stop()
    }

    @Test("a graceful stop writes what is pending; the next server restores it before it listens")
    func stopWritesAndStartRestores() async throws {
        let directory = try TemporaryDirectory(prefix: "perch-sn-store")
        defer { directory.remove() }
        let first = try await ServerHarness.start(store: try CountingStore(directory: directory.path))
        let before = try await first.client()
        #expect(try await before.connect(clientID: "keeper", cleanSession: false) == .connAck(.accepted))
        let reply = try await before.exchange(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "kept/topic")))
        guard case let .regAck(ack) = reply else {
            Issue.record("expected REGACK, got \(reply)")
            return
        }
        await before.close()
        await first.stop(keepingBroker: true)

        let second = try await ServerHarness.start(store: try CountingStore(directory: directory.path), broker: first.broker)
        let subscription = try await second.broker.startSubscription(topic: "t/kept/#", qos: 1)
        let after = try await second.client()
        #expect(try await after.connect(clientID: "keeper", cleanSession: false) == .connAck(.accepted))
        let puback = try await after.exchange(.publish(MQTTSNPublish(
            qos: .atLeastOnce, topic: .normal(ack.topicID), messageID: 2, payload: ByteBuffer(string: "again")
        )))
        #expect(puback == .pubAck(MQTTSNTopicAck(topicID: ack.topicID, messageID: 2)))
        #expect(try await subscription.next(timeout: ServerHarness.wait).topic == "t/kept/topic")
        await subscription.cancel()
        await after.close()
        await second.stop()
    }
}
