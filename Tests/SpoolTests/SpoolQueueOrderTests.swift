import MQTTCodec
import NIOCore
import PerchCore
import Testing

@testable import Spool

@Suite("SpoolQueue order and backlog")
struct SpoolQueueOrderTests {
    @Test("messages leave in arrival order through a bounded window")
    func windowKeepsOrder() {
        let harness = QueueHarness(policy: SpoolPolicy(window: 3))
        for index in 0..<10 { harness.accept("t/\(index % 2)", "\(index)", sender: index) }
        #expect(harness.tickets == [0, 1, 2])
        // Out-of-order acknowledgements free slots; the order of hand-over stays global.
        harness.report(UpstreamTicket(rawValue: 2))
        harness.report(UpstreamTicket(rawValue: 0))
        #expect(harness.tickets == [0, 1, 2, 3, 4])
        while let next = harness.queue.outstanding.keys.min() {
            harness.report(UpstreamTicket(rawValue: next))
        }
        #expect(harness.tickets == Array(0..<10))
        #expect(harness.acknowledged.sorted() == Array(0..<10))
    }

    @Test("an outage: the backlog goes to disk beyond the memory budget and drains in order, newer messages behind it")
    func backlogDrainsInOrder() throws {
        // Every message is 1 + 10 bytes; memory for about 20 of them.
        let policy = SpoolPolicy(commitInterval: .milliseconds(100), batchLimit: 16, window: 4, residentBytes: 220)
        let harness = QueueHarness(policy: policy)
        var sent = 0
        func send(_ count: Int) {
            for _ in 0..<count {
                harness.accept("t", String(format: "%010d", sent), sender: sent)
                sent += 1
                if harness.pendingCommit != nil { harness.completeCommit() }
            }
        }
        send(100)  // the window (4) is stuck: the link is down
        harness.advance(.milliseconds(100))
        while harness.fireTimer(), harness.pendingCommit != nil { harness.completeCommit() }
        #expect(harness.acknowledged == Array(0..<100), "every sender acknowledged by the commits")
        #expect(!harness.queue.diskOnly.isEmpty, "beyond the budget, the backlog lives on disk only")
        #expect(harness.queue.residentBytes <= 220)
        #expect(harness.disk.count == 100)

        // The link comes back; new messages keep arriving during the drain.
        var delivered: [UInt64] = []
        var rounds = 0
        while rounds < 1000, harness.queue.count > 0 || sent < 150 {
            rounds += 1
            if sent < 150 { send(1) }
            if let next = harness.queue.outstanding.keys.min() {
                harness.report(UpstreamTicket(rawValue: next))
                delivered.append(next)
            }
            harness.completeLoad()
            if harness.pendingCommit != nil { harness.completeCommit() }
            harness.advance(.milliseconds(5))
            if let deadline = harness.queue.nextDeadline, deadline <= harness.now { harness.fireTimer() }
        }
        #expect(delivered == Array(0..<150), "one global order, across memory, disk and new arrivals")
        #expect(harness.transmitted.map { Int($0.message.payload.getString(at: 0, length: 10) ?? "") } == Array(0..<150).map { Optional($0) })
        #expect(Set(harness.acknowledged) == Set(0..<150))
        #expect(harness.queue.count == 0 && harness.queue.bytes == 0)
    }

    @Test("after a restart what is on disk drains first, oldest first, and numbering continues")
    func restartDrainsFirst() throws {
        var rows: [UInt64: SpooledMessage] = [:]
        for sequence in UInt64(10)..<UInt64(600) where sequence % 7 != 0 {
            rows[sequence] = SpooledMessage(
                sequence: sequence, message: Message(topic: "old", text: "\(sequence)", qos: .atLeastOnce),
                arrivalMilliseconds: 1_700_000_000_000)
        }
        let harness = QueueHarness(policy: SpoolPolicy(window: 50), disk: rows)
        #expect(harness.queue.count == rows.count)
        harness.run(start: true)
        harness.accept("new", sender: 1)
        var delivered: [UInt64] = []
        for _ in 0..<2000 {
            harness.completeLoad()
            guard let next = harness.queue.outstanding.keys.min() else { continue }
            harness.report(UpstreamTicket(rawValue: next))
            delivered.append(next)
        }
        let expected = rows.keys.sorted() + [600]
        #expect(delivered == expected)
        #expect(harness.transmitted.last?.message.topic == "new")
        #expect(harness.acknowledged == [1])
    }

    @Test("a message refused upstream while its sender waits is refused to it for good; the rest go on")
    func refusedIsRefusedToTheSender() {
        let harness = QueueHarness(policy: SpoolPolicy(window: 1))
        harness.accept("a", sender: 1)
        harness.accept("b", sender: 2)
        harness.report(UpstreamTicket(rawValue: 0), .refused("not authorized"))
        #expect(harness.rejectedSenders.map(\.sender) == [1])
        #expect(harness.rejectedSenders.first?.reason == .permanent(.refusedUpstream("not authorized")))
        #expect(harness.queue.dropped == 0)
        #expect(harness.queue.pendingDeadLetters.isEmpty)
        #expect(harness.topicsSent == ["a", "b"])
    }

    @Test("a message already acknowledged that the broker will not take becomes a dead letter, written at once; the rest go on")
    func acknowledgedRefusalIsDeadLettered() {
        let harness = QueueHarness(policy: SpoolPolicy(window: 1))
        harness.accept("a", sender: nil)
        harness.accept("b", sender: nil)
        harness.report(UpstreamTicket(rawValue: 0), .tooLarge(size: 500, maximum: 300))
        #expect(harness.queue.dropped == 0)
        #expect(harness.topicsSent == ["a", "b"])
        // The dead letter is in the commit that was started at once.
        #expect(harness.queue.committingDeadLetters.map(\.message.message.topic) == ["a"])
        #expect(harness.queue.committingDeadLetters.first?.reason.contains("maximum packet size of 300") == true)
    }
}

extension QueueHarness {
    /// Starts the queue as the runtime does (the first pump).
    func run(start: Bool) {
        guard start else { return }
        var actions: [SpoolAction<Int>] = []
        queue.pump(now: now, wallMilliseconds: wall, &actions)
        for case .load(let range, let limit) in actions { pendingLoad = (range, limit) }
        for case .transmit(let message, let ticket) in actions { transmitted.append((message, ticket)) }
    }
}
