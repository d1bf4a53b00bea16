import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Spool

@Suite("SpoolQueue online: the memory tier")
struct SpoolQueueOnlineTests {
    @Test("a message the broker takes within half the commit interval never touches the disk")
    func fastAcknowledgementWritesNothing() {
        let harness = QueueHarness(policy: SpoolPolicy(commitInterval: .milliseconds(100)))
        for index in 0..<100 {
            harness.accept("t/\(index % 3)", sender: index)
            harness.advance(.milliseconds(10))
            harness.report(UpstreamTicket(rawValue: UInt64(index)))
        }
        #expect(harness.acknowledged == Array(0..<100))
        #expect(harness.queue.nextDeadline == nil)
        #expect(harness.pendingCommit == nil)
        harness.advance(.seconds(60))
        #expect(!harness.fireTimer())
        #expect(harness.commitCount == 0 && harness.disk.isEmpty)
        #expect(harness.queue.count == 0 && harness.queue.bytes == 0)
    }

    @Test("an idle spool has no deadline at all")
    func idleHasNoTimer() {
        let harness = QueueHarness(policy: SpoolPolicy())
        #expect(harness.queue.nextDeadline == nil)
        harness.accept("t", qos: .atMostOnce)
        harness.report(UpstreamTicket(rawValue: 0))
        #expect(harness.queue.nextDeadline == nil)
    }

    @Test("a slow broker: the sender is acknowledged at the commit, never before, and the row is deleted after delivery")
    func commitAcknowledges() throws {
        let harness = QueueHarness(policy: SpoolPolicy(commitInterval: .milliseconds(100)))
        harness.accept("t", sender: 7)
        #expect(harness.tickets == [0])
        #expect(harness.acknowledged.isEmpty)
        let deadline = try #require(harness.queue.nextDeadline)
        #expect(deadline == harness.now + .milliseconds(100))
        harness.advance(.milliseconds(99))
        harness.fireTimer()
        let batch = try #require(harness.pendingCommit)
        #expect(batch.inserting.map(\.sequence) == [0])
        #expect(harness.acknowledged.isEmpty, "no acknowledgement before the commit is durable")
        harness.completeCommit()
        #expect(harness.acknowledged == [7])
        harness.report(UpstreamTicket(rawValue: 0))
        #expect(harness.acknowledged == [7], "told once")
        // The delete waits for company, then goes alone after the delete delay.
        #expect(harness.pendingCommit == nil)
        harness.fireTimer()
        let deletes = try #require(harness.pendingCommit)
        #expect(deletes.inserting.isEmpty && deletes.deleting == [0...0])
        harness.completeCommit()
        #expect(harness.disk.isEmpty)
        #expect(harness.queue.nextDeadline == nil)
    }

    @Test("a commit takes the messages older than half the interval, in order")
    func commitTakesTheHalfAgedPrefix() throws {
        let harness = QueueHarness(policy: SpoolPolicy(commitInterval: .milliseconds(100), window: 1))
        for index in 0..<10 {
            harness.accept("t", sender: index)
            harness.advance(.milliseconds(10))
        }
        // now = 100 ms after the first: due; messages accepted at ≤ 50 ms ago go.
        harness.fireTimer()
        let batch = try #require(harness.pendingCommit)
        #expect(batch.inserting.map(\.sequence) == [0, 1, 2, 3, 4, 5])
        harness.completeCommit()
        #expect(harness.acknowledged == [0, 1, 2, 3, 4, 5])
    }

    @Test("a full batch commits at once")
    func batchLimitCommitsEarly() throws {
        let harness = QueueHarness(policy: SpoolPolicy(batchLimit: 8, window: 1))
        for index in 0..<8 { harness.accept("t", sender: index) }
        let batch = try #require(harness.pendingCommit)
        #expect(batch.inserting.count == 8)
    }

    @Test("delivered while being written: acknowledged once, the row deleted afterwards")
    func deliveredDuringCommit() throws {
        let harness = QueueHarness(policy: SpoolPolicy(commitInterval: .milliseconds(100)))
        harness.accept("t", sender: 1)
        harness.advance(.milliseconds(100))
        harness.fireTimer()
        #expect(harness.pendingCommit != nil)
        harness.report(UpstreamTicket(rawValue: 0))
        #expect(harness.acknowledged == [1])
        harness.completeCommit()
        #expect(harness.acknowledged == [1])
        #expect(harness.disk.count == 1)
        harness.fireTimer()
        harness.completeCommit()
        #expect(harness.disk.isEmpty)
        #expect(harness.queue.count == 0 && harness.queue.uncommittedCount == 0 && harness.queue.uncommittedBytes == 0)
    }

    @Test("QoS 0 with buffer_qos0 off goes straight through while the link is up and nothing waits, and is dropped otherwise, never written")
    func qos0NotBuffered() {
        let harness = QueueHarness(policy: SpoolPolicy(buffersQoS0: false, window: 1))
        harness.accept("a", qos: .atMostOnce)
        harness.accept("b", qos: .atMostOnce)
        #expect(harness.forwarded.map(\.topic) == ["a", "b"])
        harness.accept("q1")  // takes the window
        harness.accept("q1-waits")
        harness.accept("c", qos: .atMostOnce)  // would overtake a waiting message
        harness.link(up: false)
        harness.accept("d", qos: .atMostOnce)
        #expect(harness.forwarded.map(\.topic) == ["a", "b"])
        #expect(harness.queue.dropped == 2)
        harness.advance(.seconds(1))
        harness.fireTimer()
        #expect(harness.pendingCommit?.inserting.map(\.message.topic) == ["q1", "q1-waits"], "only the QoS 1 messages are written")
    }

    @Test("QoS 0 passing straight through costs no entry, no number and no report")
    func qos0FastPath() {
        let harness = QueueHarness(policy: SpoolPolicy())
        for index in 0..<100 { harness.accept("t", "\(index)", qos: .atMostOnce) }
        #expect(harness.forwarded.count == 100)
        #expect(harness.transmitted.isEmpty)
        #expect(harness.queue.count == 0 && harness.queue.outstanding.isEmpty && harness.queue.nextSequence == 0)
        #expect(harness.forwarded.allSatisfy { $0.expiry == nil })
        // Behind a waiting message, QoS 0 waits its turn instead.
        harness.link(up: false)
        harness.accept("q1")
        harness.accept("late", qos: .atMostOnce)
        harness.link(up: true)
        #expect(harness.topicsSent == ["q1", "late"])
    }

    @Test("MQTT 5 Message Expiry: a message that waited carries what is left of max_age, or of the sender's own expiry if shorter")
    func expiryIsTheRemainingLifetime() throws {
        let harness = QueueHarness(policy: SpoolPolicy(maximumAge: .seconds(3600), window: 1))
        harness.accept("first")
        var withExpiry = Message(topic: "second", text: "x", qos: .atLeastOnce)
        withExpiry.expiry = .seconds(60)
        harness.queue.accept(withExpiry, sender: nil, now: harness.now, wallMilliseconds: harness.wall, &discard)
        harness.advance(.seconds(10))
        harness.report(UpstreamTicket(rawValue: 0))
        #expect(harness.transmitted.first?.message.expiry == nil, "handed over on arrival: nothing of max_age spent")
        // The second went out 10 s after it arrived.
        let second = try #require(harness.transmitted.last)
        #expect(second.message.topic == "second")
        #expect(second.message.expiry == .seconds(50))
    }
}

/// An action buffer a test does not look at.
nonisolated(unsafe) var discard: [SpoolAction<Int>] = []
