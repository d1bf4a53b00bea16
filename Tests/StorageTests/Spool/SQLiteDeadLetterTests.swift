import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Storage
import Testing

@Suite("SQLiteSpoolStore: dead letters (SPEC §5)")
struct SQLiteDeadLetterTests {
    private func spooled(_ sequence: UInt64, _ topic: String, bytes: Int = 3) -> SpooledMessage {
        SpooledMessage(
            sequence: sequence,
            message: Message(topic: topic, payload: ByteBuffer(repeating: 0x61, count: bytes), qos: .atLeastOnce, retain: true),
            arrivalMilliseconds: 1_000 + Int64(sequence))
    }

    @Test("a message moves from the spool to the dead letters in one commit, survives a reopen, and is counted")
    func moveIsAtomicAndDurable() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        try store.commit(inserting: [spooled(0, "poison", bytes: 400), spooled(1, "next")], deleting: [])
        let letter = DeadLetter(message: spooled(0, "poison", bytes: 400), reason: "too large", deadMilliseconds: 5_000)
        try store.commit(inserting: [], deleting: [0...0], deadLetters: [letter])
        store.close()
        let reopened = try scratch.open()
        #expect(try reopened.loadAll().map(\.message.topic) == ["next"])
        #expect(try reopened.inventory().deadLetters == 1)
        let listed = try reopened.deadLetters()
        #expect(listed.map(\.deadLetter) == [letter])
    }

    @Test("re-queueing puts the dead letters behind everything in the spool, with new sequences, and empties the table")
    func requeue() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        try store.commit(inserting: [spooled(0, "poison"), spooled(1, "next")], deleting: [])
        try store.commit(
            inserting: [], deleting: [0...0],
            deadLetters: [DeadLetter(message: spooled(0, "poison"), reason: "closed", deadMilliseconds: 2_000)])
        #expect(try store.requeueDeadLetters(nowMilliseconds: 9_000) == 1)
        let rows = try store.loadAll()
        #expect(rows.map(\.message.topic) == ["next", "poison"])
        #expect(rows.last?.sequence == 2)
        #expect(rows.last?.arrivalMilliseconds == 9_000)
        #expect(try store.deadLetters().isEmpty)
        #expect(try store.inventory().nextSequence == 3)
    }

    @Test("the table keeps the newest DeadLetter.limit rows")
    func bounded() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        let letters = (0..<UInt64(DeadLetter.limit + 5)).map {
            DeadLetter(message: spooled($0, "t\($0)"), reason: "r", deadMilliseconds: 0)
        }
        try store.commit(inserting: [], deleting: [], deadLetters: letters)
        let kept = try store.deadLetters()
        #expect(kept.count == DeadLetter.limit)
        #expect(kept.first?.deadLetter.message.message.topic == "t5")
    }
}
