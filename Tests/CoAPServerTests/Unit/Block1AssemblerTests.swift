@testable import CoAPServer
import Testing

/// RFC 7959 §2.5: a Block1 body put together from its blocks, with or
/// without Size1 (issue 20: libcoap 4.3.1's own assembly needed Size1).
struct Block1AssemblerTests {
    let key = Block1Assembler.Key(session: 1, path: "ps/x")
    let start = ContinuousClock.now

    @Test func blocksInOrderMakeOneBody() {
        var assembler = Block1Assembler(maximumBytes: 1024)
        let first = Array(repeating: UInt8(1), count: 64)
        let last = Array(repeating: UInt8(2), count: 36)
        #expect(assembler.add(key, number: 0, more: true, szx: 2, payload: first, now: start) == .needMore)
        #expect(assembler.add(key, number: 1, more: false, szx: 2, payload: last, now: start) == .complete(first + last))
        #expect(assembler.count == 0)
    }

    @Test func aRepeatedBlockIsAnsweredAgainNotAppended() {
        var assembler = Block1Assembler(maximumBytes: 1024)
        let block = Array(repeating: UInt8(1), count: 16)
        _ = assembler.add(key, number: 0, more: true, szx: 0, payload: block, now: start)
        #expect(assembler.add(key, number: 1, more: true, szx: 0, payload: block, now: start) == .needMore)
        #expect(assembler.add(key, number: 1, more: true, szx: 0, payload: block, now: start) == .needMore)
        #expect(assembler.add(key, number: 2, more: false, szx: 0, payload: [9], now: start) == .complete(block + block + [9]))
    }

    @Test func aGapOrAnUnknownTransferIsIncomplete() {
        var assembler = Block1Assembler(maximumBytes: 1024)
        #expect(assembler.add(key, number: 3, more: false, szx: 0, payload: [1], now: start) == .incomplete)
        _ = assembler.add(key, number: 0, more: true, szx: 0, payload: Array(repeating: 0, count: 16), now: start)
        #expect(assembler.add(key, number: 2, more: false, szx: 0, payload: [1], now: start) == .incomplete)
        #expect(assembler.count == 0)
    }

    @Test func theBoundIsKeptPerBodyAndPerTransferCount() {
        var assembler = Block1Assembler(maximumBytes: 32, maximumTransfers: 2)
        _ = assembler.add(key, number: 0, more: true, szx: 0, payload: Array(repeating: 0, count: 16), now: start)
        _ = assembler.add(key, number: 1, more: true, szx: 0, payload: Array(repeating: 0, count: 16), now: start)
        #expect(assembler.add(key, number: 2, more: false, szx: 0, payload: [1], now: start) == .tooLarge)
        for session in UInt(10)..<UInt(15) {
            let other = Block1Assembler.Key(session: session, path: "ps/y")
            _ = assembler.add(other, number: 0, more: true, szx: 0, payload: [1], now: start + .seconds(Int(session)))
        }
        #expect(assembler.count == 2)
    }

    @Test func anAbandonedTransferExpires() {
        var assembler = Block1Assembler(maximumBytes: 1024, lifetime: .seconds(10))
        _ = assembler.add(key, number: 0, more: true, szx: 0, payload: Array(repeating: 0, count: 16), now: start)
        #expect(assembler.add(key, number: 1, more: false, szx: 0, payload: [1], now: start + .seconds(11)) == .incomplete)
    }
}
