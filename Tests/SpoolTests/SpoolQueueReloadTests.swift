import PerchCore
import Testing

@testable import Spool

@Suite("SpoolQueue takes a new policy on reload")
struct SpoolQueueReloadTests {
    static func payload(_ index: Int) -> String { SpoolQueueBoundsTests.payload(index) }

    @Test("a smaller max_bytes under drop_oldest drops the oldest waiting messages at once, counted")
    func shrinkDropsOldest() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumBytes: 1_000, overflow: .dropOldest), linkUp: false)
        for index in 0..<10 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.queue.count == 10 && harness.queue.dropped == 0)
        harness.apply(SpoolPolicy(maximumBytes: 55, overflow: .dropOldest))
        #expect(harness.queue.count == 5)
        #expect(harness.queue.bytes <= 55)
        #expect(harness.queue.dropped == 5)
        #expect(harness.rejectedSenders.map(\.sender) == [0, 1, 2, 3, 4])
        harness.link(up: true)
        #expect(harness.transmitted.map { $0.message.payload.getString(at: 0, length: 10) } == (5..<10).map { Self.payload($0) })
    }

    @Test("a smaller max_bytes under reject_new keeps what is held and refuses new messages until there is room")
    func shrinkRejectsNew() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumBytes: 1_000, overflow: .rejectNew), linkUp: false)
        for index in 0..<10 { harness.accept("t", Self.payload(index), sender: index) }
        harness.apply(SpoolPolicy(maximumBytes: 55, overflow: .rejectNew))
        #expect(harness.queue.count == 10 && harness.queue.dropped == 0)
        harness.accept("t", Self.payload(10), sender: 10)
        #expect(harness.rejectedSenders.map(\.sender) == [10])
        #expect(harness.rejectedSenders.first?.reason == .full)
    }

    @Test("a larger max_bytes takes messages a full spool refused before")
    func growAcceptsMore() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumBytes: 110, overflow: .rejectNew), linkUp: false)
        for index in 0..<11 { harness.accept("t", Self.payload(index), sender: index) }
        #expect(harness.rejectedSenders.map(\.sender) == [10])
        harness.apply(SpoolPolicy(maximumBytes: 220, overflow: .rejectNew))
        harness.accept("t", Self.payload(11), sender: 11)
        #expect(harness.rejectedSenders.map(\.sender) == [10])
        #expect(harness.queue.count == 11)
    }

    @Test("max_age applies to messages already held")
    func maximumAgeApplies() {
        let harness = QueueHarness(policy: SpoolPolicy(maximumAge: .seconds(3_600)), linkUp: false)
        harness.accept("old", sender: 1)
        harness.advance(.seconds(120))
        harness.accept("young", sender: 2)
        harness.apply(SpoolPolicy(maximumAge: .seconds(60)))
        harness.link(up: true)
        #expect(harness.topicsSent == ["young"])
    }
}
