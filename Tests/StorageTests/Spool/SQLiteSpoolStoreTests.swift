import Foundation
import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Storage
import Testing

@Suite("SQLiteSpoolStore: rows, order, ranges, inventory")
struct SQLiteSpoolStoreTests {
    @Test("every field round-trips: QoS 0/1/2, retain, content type, expiry, empty and binary payloads, UTF-8 topic")
    func roundTrip() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        let binary = ByteBuffer(bytes: (0...255).map { UInt8($0) })
        let messages = [
            SpooledMessage(
                sequence: 0, message: Message(topic: "a/b", payload: ByteBuffer(), qos: .atMostOnce),
                arrivalMilliseconds: 0),
            SpooledMessage(
                sequence: 1,
                message: Message(
                    topic: "site/gewächshaus/température/🌡️", payload: binary, qos: .atLeastOnce, retain: true,
                    contentType: "application/octet-stream", expiry: .milliseconds(90_061)),
                arrivalMilliseconds: 1_763_771_234_567),
            SpooledMessage(
                sequence: 2,
                message: Message(
                    topic: "x", payload: ByteBuffer(string: "{\"t\":21.5}"), qos: .exactlyOnce, retain: false,
                    contentType: "", expiry: .zero),
                arrivalMilliseconds: -5),
            SpooledMessage(
                sequence: 3,
                message: Message(topic: "nul\u{0}inside", payload: ByteBuffer(bytes: [0, 0, 0]), qos: .exactlyOnce, retain: true),
                arrivalMilliseconds: Int64.max),
        ]
        try store.commit(inserting: messages, deleting: [])
        #expect(try store.loadAll() == messages)
        // A second connection reads the same from the file.
        store.close()
        #expect(try scratch.open().loadAll() == messages)
    }

    @Test("load returns sequence order within the range, at most the limit")
    func loadOrder() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        // Committed out of order, in two commits.
        try store.commit(inserting: makeSpooled([9, 3, 7, 1] as [UInt64]), deleting: [])
        try store.commit(inserting: makeSpooled([2, 8, 5] as [UInt64]), deleting: [])
        #expect(try store.storedSequences() == [1, 2, 3, 5, 7, 8, 9])
        #expect(try store.load(3...8, limit: 256).map(\.sequence) == [3, 5, 7, 8])
        #expect(try store.load(3...8, limit: 2).map(\.sequence) == [3, 5])
        #expect(try store.load(4...4, limit: 10).isEmpty)
        #expect(try store.load(0...100, limit: 0).isEmpty)
        #expect(try store.load(UInt64.max...UInt64.max, limit: 10).isEmpty)
        #expect(try store.load(8...UInt64.max, limit: 10).map(\.sequence) == [8, 9])
    }

    @Test("deleted ranges remove exactly their sequences, inserts and deletes in one commit")
    func deleteRanges() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        try store.commit(inserting: makeSpooled(0..<20), deleting: [])
        try store.commit(inserting: [], deleting: [2...4, 10...10, 15...17, 100...200])
        #expect(try store.storedSequences() == [0, 1, 5, 6, 7, 8, 9, 11, 12, 13, 14, 18, 19])

        // New messages and deletes together; a sequence both inserted and deleted ends up absent.
        try store.commit(inserting: makeSpooled(20..<23), deleting: [0...1, 22...22, 8...12])
        #expect(try store.storedSequences() == [5, 6, 7, 13, 14, 18, 19, 20, 21])
        // An empty commit changes nothing and succeeds.
        try store.commit(inserting: [], deleting: [])
        #expect(try store.storedSequences().count == 9)
    }

    @Test("an insert of a stored sequence replaces it, so a retried commit succeeds")
    func idempotentRetry() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        let batch = makeSpooled(0..<10)
        try store.commit(inserting: batch, deleting: [])
        try store.commit(inserting: batch, deleting: [])
        #expect(try store.loadAll() == batch)
    }

    @Test("inventory: segments of at most 256 by sequence, with counts, bytes and oldest arrival, across gaps")
    func inventory() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        #expect(try store.inventory() == SpoolInventory(segments: [], nextSequence: 0))

        // 0..<600, then gaps: 100…299 deleted (segment 0 keeps 0…99, segment 1 keeps 300…511).
        var messages = makeSpooled(0..<600, payloadSize: 10)
        // The oldest arrival of a segment need not be its first sequence.
        messages[520] = makeSpooled(520, payloadSize: 10, arrival: 5)
        try store.commit(inserting: messages, deleting: [])
        try store.commit(inserting: [], deleting: [100...299])

        let inventory = try store.inventory()
        let perMessage = messages[0].accountedBytes
        #expect(perMessage == "site/greenhouse-pi/sensors/node-0/temperature".utf8.count + 10)
        #expect(
            inventory.segments == [
                SpoolSegment(sequences: 0...99, count: 100, bytes: 100 * perMessage, oldestArrivalMilliseconds: 1_700_000_000_000),
                SpoolSegment(sequences: 300...511, count: 212, bytes: 212 * perMessage, oldestArrivalMilliseconds: 1_700_000_000_300),
                SpoolSegment(sequences: 512...599, count: 88, bytes: 88 * perMessage, oldestArrivalMilliseconds: 5),
            ])
        #expect(inventory.nextSequence == 600)
        #expect(inventory.segments.allSatisfy { $0.count <= SpoolSegment.maximumCount })
        // The counts add up to what load finds.
        #expect(try inventory.segments.map(\.count).reduce(0, +) == store.loadAll().count)
    }

    @Test("bytes count the topic, payload and content type of each message")
    func accountedBytes() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        let message = SpooledMessage(
            sequence: 7,
            message: Message(topic: "é/t", payload: ByteBuffer(repeating: 1, count: 1000), contentType: "text/plain"),
            arrivalMilliseconds: 1)
        try store.commit(inserting: [message], deleting: [])
        let segment = try #require(try store.inventory().segments.first)
        #expect(segment.bytes == 4 + 1000 + 10)
        #expect(segment.bytes == message.accountedBytes)
    }

    @Test("nextSequence stays past the highest sequence ever committed, after deleting everything and reopening")
    func highWaterMark() throws {
        let scratch = try ScratchSpool()
        do {
            let store = try scratch.open()
            try store.commit(inserting: makeSpooled(0..<50), deleting: [])
            try store.commit(inserting: [], deleting: [40...49])
            // Deleting the tail does not lower it.
            #expect(try store.inventory().nextSequence == 50)
            try store.commit(inserting: [], deleting: [0...UInt64.max])
            #expect(try store.inventory() == SpoolInventory(segments: [], nextSequence: 50))
            store.close()
        }
        let reopened = try scratch.open()
        #expect(try reopened.inventory() == SpoolInventory(segments: [], nextSequence: 50))
        // A lower sequence committed later does not lower it either.
        try reopened.commit(inserting: makeSpooled([60, 61] as [UInt64]), deleting: [])
        try reopened.commit(inserting: makeSpooled([55] as [UInt64]), deleting: [])
        #expect(try reopened.inventory().nextSequence == 62)
    }

    @Test("a sequence past Int64.max is refused and changes nothing")
    func sequenceTooLarge() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        let error = try #require(thrownError(SpoolStoreError.self) {
            try store.commit(inserting: makeSpooled([1, UInt64(Int64.max) + 1]), deleting: [])
        })
        #expect(error.kind == .failed)
        #expect(try store.loadAll().isEmpty)
    }

    @Test("reopening after close keeps every message and the inventory")
    func reopen() throws {
        let scratch = try ScratchSpool()
        let messages = makeSpooled(0..<1000, payloadSize: 64)
        let inventory: SpoolInventory
        do {
            let store = try scratch.open()
            try store.commit(inserting: Array(messages[..<500]), deleting: [])
            try store.commit(inserting: Array(messages[500...]), deleting: [10...19])
            inventory = try store.inventory()
            store.close()
            let error = try #require(thrownError(SpoolStoreError.self) { try store.inventory() })
            #expect(error.kind == .failed)
        }
        let reopened = try scratch.open()
        #expect(try reopened.inventory() == inventory)
        #expect(try reopened.loadAll() == messages.filter { !(10...19).contains($0.sequence) })
    }
}
