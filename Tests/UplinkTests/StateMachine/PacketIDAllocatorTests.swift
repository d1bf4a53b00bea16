import Testing

@testable import Uplink

@Suite struct PacketIDAllocatorTests {
    @Test func startsAtOneAndCounts() {
        var ids = PacketIDAllocator()
        #expect(ids.allocate() == 1)
        #expect(ids.allocate() == 2)
        #expect(ids.allocate() == 3)
    }

    /// [MQTT-2.2.1-3]: 0 is never an identifier, even after wrapping around.
    @Test func wrapsAroundSkippingZero() {
        var ids = PacketIDAllocator()
        var last: UInt16 = 0
        for _ in 0..<Int(UInt16.max) {
            guard let id = ids.allocate() else { break }
            ids.release(id)
            last = id
        }
        #expect(last == UInt16.max)
        #expect(ids.allocate() == 1)
    }

    @Test func skipsIdentifiersStillInUse() {
        var ids = PacketIDAllocator()
        let first = ids.allocate()
        let second = ids.allocate()
        #expect(first == 1 && second == 2)
        ids.release(2)
        // Walk all the way round: 1 is still open and must be skipped.
        for _ in 3...Int(UInt16.max) {
            if let id = ids.allocate() { ids.release(id) }
        }
        #expect(ids.allocate() == 2)
        #expect(ids.isInUse(1))
    }

    @Test func reportsExhaustion() {
        var ids = PacketIDAllocator()
        for _ in 0..<Int(UInt16.max) {
            #expect(ids.allocate() != nil)
        }
        #expect(ids.allocate() == nil)
        ids.release(700)
        #expect(ids.allocate() == 700)
    }
}
