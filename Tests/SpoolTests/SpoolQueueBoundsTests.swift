import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Spool

@Suite("SpoolQueue bounds, link and faults")
struct SpoolQueueBoundsTests {
    /// Every message below is 1 + 10 = 11 bytes.
    static func payload(_ index: Int) -> String { String(format: "%010d", index) }

    /// What a store holds after `count` QoS 1 messages were written: sequences 0..<count.
    static func rows(_ count: Int) -> [UInt64: SpooledMessage] {
        var rows: [UInt64: SpooledMessage] = [:]
        for sequence in UInt64(0)..<UInt64(count) {
            rows[sequence] = SpooledMessage(
                sequence: sequence, message: Message(topic: "t", text: payload(Int(sequence)), qos: .atLeastOnce),
                arrivalMilliseconds: 1_700_000_000_000)
        }
        return rows
    }

    @Test("while the link is down nothing is handed over; when it comes up the backlog goes in order")
    func linkDownHoldsEverything() {
        let harness = QueueHarness(policy: SpoolPolicy(window: 4), linkUp: false)
        for index in 0..<6 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.transmitted.isEmpty)
        harness.link(up: true)
        #expect(harness.tickets == [0, 1, 2, 3])
        harness.link(up: false)
        harness.report(UpstreamTicket(rawValue: 0))
        #expect(harness.tickets == [0, 1, 2, 3], "no hand-over while down, even when a slot frees")
    }

    @Test("drop_oldest: the oldest waiting messages make room, are counted, and their senders told")
    func dropOldest() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumBytes: 110, overflow: .dropOldest), linkUp: false)
        for index in 0..<15 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.queue.bytes <= 110)
        #expect(harness.queue.count == 10)
        #expect(harness.queue.dropped == 5)
        #expect(harness.rejectedSenders.map(\.sender) == [0, 1, 2, 3, 4])
        #expect(harness.rejectedSenders.allSatisfy { $0.reason == .droppedForSpace })
        harness.link(up: true)
        #expect(harness.transmitted.map { $0.message.payload.getString(at: 0, length: 10) } == (5..<15).map { Self.payload($0) })
    }

    @Test("drop_oldest reaches into the disk backlog a segment at a time")
    func dropOldestFromDisk() {
        let rows = Self.rows(512)
        let harness = QueueHarness(policy: SpoolPolicy(maximumBytes: 512 * 11, overflow: .dropOldest), disk: rows, linkUp: false)
        harness.accept("t", Self.payload(512), sender: 1)
        #expect(harness.queue.dropped == 256, "the oldest segment")
        #expect(harness.queue.count == 257)
        #expect(harness.queue.pendingDeletes.ranges == [0...255])
        #expect(harness.rejectedSenders.isEmpty)
    }

    @Test("reject_new: a full spool refuses the new message and keeps the old ones")
    func rejectNew() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumBytes: 110, overflow: .rejectNew), linkUp: false)
        for index in 0..<12 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.queue.count == 10)
        #expect(harness.rejectedSenders.map(\.sender) == [10, 11])
        #expect(harness.rejectedSenders.allSatisfy { $0.reason == .full })
        #expect(harness.queue.rejected == 2 && harness.queue.dropped == 0)
        harness.accept("t", Self.payload(12), qos: .atMostOnce)
        #expect(harness.queue.dropped == 1, "a QoS 0 message refused is lost: counted as dropped")
    }

    @Test("max_age: a message too old when its turn comes is dropped, not sent")
    func maximumAge() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumAge: .seconds(60)), linkUp: false)
        harness.accept("old", sender: 1)
        harness.advance(.seconds(30))
        harness.accept("young", sender: 2)
        harness.advance(.seconds(31))
        harness.link(up: true)
        #expect(harness.topicsSent == ["young"])
        #expect(harness.queue.dropped == 1)
        #expect(harness.events.contains(.dropped(count: 1, reason: .expired)))
    }

    @Test("a failing disk with the link down: no acknowledgement, the error reported, new senders told congestion, a retry later")
    func diskFailureLinkDown() throws {
        let policy = SpoolPolicy(commitInterval: .milliseconds(100), retryInterval: .seconds(1))
        let harness = QueueHarness(policy: policy, linkUp: false)
        for index in 0..<3 { harness.accept("t", Self.payload(index), sender: index) }
        harness.advance(.milliseconds(100))
        harness.fireTimer()
        harness.failCommit(.diskFull)
        #expect(harness.acknowledged.isEmpty)
        #expect(harness.queue.status(wallMilliseconds: harness.wall).lastError == "test: diskFull")
        #expect(harness.events.contains(.storeFailed(SpoolStoreError(kind: .diskFull, message: "test: diskFull"))))
        // Nothing but the disk could make a new message safe now.
        for index in 3..<5 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.rejectedSenders.map(\.sender) == [3, 4])
        #expect(harness.rejectedSenders.allSatisfy { $0.reason == .storeUnavailable })
        // No retry before the interval.
        let deadline = try #require(harness.queue.nextDeadline)
        #expect(deadline >= harness.now + .milliseconds(900))
        harness.fireTimer()
        let batch = try #require(harness.pendingCommit)
        #expect(batch.inserting.map(\.sequence) == [0, 1, 2])
        harness.completeCommit()
        #expect(harness.acknowledged == [0, 1, 2])
        #expect(harness.events.last == .storeRecovered)
        #expect(harness.queue.status(wallMilliseconds: harness.wall).lastError == nil)
    }

    @Test("a failing disk with the link up: messages wait for the broker, up to the memory limit; beyond it senders are refused")
    func diskFailureLinkUp() throws {
        let policy = SpoolPolicy(commitInterval: .milliseconds(100), window: 1, uncommittedBytesLimit: 55)
        let harness = QueueHarness(policy: policy)
        for index in 0..<3 { harness.accept("t", Self.payload(index), sender: index) }
        harness.advance(.milliseconds(100))
        harness.fireTimer()
        harness.failCommit(.failed)
        // 3 × 11 bytes unwritten; two more fit under 55, the sixth does not.
        for index in 3..<6 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.rejectedSenders.map(\.sender) == [5])
        #expect(harness.rejectedSenders.first?.reason == .storeUnavailable)
        // The broker takes them one by one: each sender hears it then.
        for ticket in 0..<5 { harness.report(UpstreamTicket(rawValue: UInt64(ticket))) }
        #expect(harness.acknowledged == [0, 1, 2, 3, 4])
        #expect(harness.queue.count == 0)
    }

    @Test("stop writes every message not on disk at once, and keeps those the uplink could not deliver")
    func stopCommitsEverything() throws {
        let harness = QueueHarness(policy: SpoolPolicy(commitInterval: .seconds(10), window: 2))
        for index in 0..<5 { harness.accept("t", Self.payload(index), sender: index) }
        harness.report(UpstreamTicket(rawValue: 0))
        harness.report(UpstreamTicket(rawValue: 1), .interrupted)
        harness.report(UpstreamTicket(rawValue: 2), .interrupted)
        harness.stop()
        let batch = try #require(harness.pendingCommit)
        #expect(batch.inserting.map(\.sequence) == [1, 2, 3, 4])
        harness.completeCommit()
        #expect(harness.queue.isStopped)
        #expect(harness.queue.count == 4)
        harness.accept("late", sender: 99)
        #expect(harness.rejectedSenders.last?.reason == .stopping)
    }

    @Test("a waiting message, or one handed over when the link drops, no longer pins the read buffer it came in")
    func waitingPayloadsAreDetached() throws {
        var readBuffer = ByteBufferAllocator().buffer(capacity: 65_536)
        readBuffer.writeRepeatingByte(0x41, count: 65_536)
        func message(_ offset: Int) throws -> Message {
            Message(topic: "t", payload: try #require(readBuffer.getSlice(at: offset, length: 32)), qos: .atLeastOnce)
        }
        let harness = QueueHarness(policy: SpoolPolicy(window: 1))
        harness.queue.accept(try message(0), sender: nil, now: harness.now, wallMilliseconds: harness.wall, &discard)
        harness.queue.accept(try message(64), sender: nil, now: harness.now, wallMilliseconds: harness.wall, &discard)
        let handed = try #require(harness.queue.outstanding[0])
        #expect(handed.message.payload.storageCapacity >= 65_536, "passing straight through: no copy")
        let waiting = try #require(harness.queue.resident.first)
        #expect(waiting.message.payload.storageCapacity < 1024)
        harness.link(up: false)
        #expect(handed.message.payload.storageCapacity < 1024)
        #expect(handed.message.payload.readableBytes == 32)
    }

    @Test("a disk backlog is read back only once the link is up")
    func noReadsWhileDown() throws {
        let rows = Self.rows(10)
        let harness = QueueHarness(policy: SpoolPolicy(), disk: rows, linkUp: false)
        harness.run(start: true)
        harness.accept("t", Self.payload(10), sender: 1)
        #expect(harness.pendingLoad == nil)
        harness.link(up: true)
        let load = try #require(harness.pendingLoad)
        #expect(load.range == 0...9)
        harness.completeLoad()
        #expect(harness.tickets == Array(0...10), "the backlog, then at once the message that waited behind it")
    }

    @Test("a failed read is tried again after the retry interval while the link is up, and the timer never spins while it is down")
    func failedReadRetries() throws {
        let rows = Self.rows(5)
        let harness = QueueHarness(policy: SpoolPolicy(retryInterval: .seconds(1)), disk: rows)
        harness.run(start: true)
        harness.failLoad()
        let retry = try #require(harness.queue.nextDeadline)
        #expect(retry == harness.now + .seconds(1))
        harness.link(up: false)
        #expect(harness.queue.nextDeadline == nil, "nothing to retry while nothing could leave")
        harness.link(up: true)
        harness.fireTimer()
        #expect(harness.pendingLoad != nil)
        harness.completeLoad()
        #expect(harness.tickets == Array(0..<5))
        // And after a failed commit of deletes only, the retry waits for both deadlines.
        for ticket in 0..<5 { harness.report(UpstreamTicket(rawValue: UInt64(ticket))) }
        harness.fireTimer()
        harness.failCommit(.diskFull)
        for _ in 0..<5 {
            let deadline = try #require(harness.queue.nextDeadline)
            #expect(deadline > harness.now)
            harness.fireTimer()
            if harness.pendingCommit != nil { break }
        }
        harness.completeCommit()
        #expect(harness.disk.isEmpty)
    }

    @Test("a message the uplink hands back (interrupted) leaves again, in order, when the link is next up")
    func interruptedGoesBack() {
        let harness = QueueHarness(policy: SpoolPolicy(window: 3))
        for index in 0..<5 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.tickets == [0, 1, 2])
        harness.report(UpstreamTicket(rawValue: 1), .interrupted)
        harness.report(UpstreamTicket(rawValue: 0), .interrupted)
        #expect(harness.tickets == [0, 1, 2], "nothing more handed over to an uplink that hands messages back")
        harness.link(up: true)
        #expect(harness.tickets == [0, 1, 2, 0, 1])
        harness.report(UpstreamTicket(rawValue: 2))
        harness.report(UpstreamTicket(rawValue: 0))
        harness.report(UpstreamTicket(rawValue: 1))
        #expect(harness.tickets == [0, 1, 2, 0, 1, 3, 4])
        #expect(harness.queue.count == 2 && harness.queue.residentBytes == 0)
    }
}
