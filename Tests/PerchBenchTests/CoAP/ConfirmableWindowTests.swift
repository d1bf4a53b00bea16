import Testing

@testable import perch_bench

/// RFC 7252 §4.2 retransmission in the generator's CON window, on a hand-driven clock.
@Suite struct ConfirmableWindowTests {
    private let second: UInt64 = 1_000_000_000

    private func request(_ sequence: UInt32) -> ConfirmableWindow.Slot {
        .init(
            token: sequence, messageID: UInt16(sequence + 1),
            payload: BenchPayload(caseTag: 1, client: 0, sequence: sequence, sentNanoseconds: 0))
    }

    @Test("the window fills, and a 2.04 matched by token frees its slot")
    func windowAndCompletion() throws {
        var window = ConfirmableWindow(clients: 1, window: 2)
        window.occupy(client: 0, request: request(0), now: 0)
        window.occupy(client: 0, request: request(1), now: 0)
        #expect(!window.hasRoom(client: 0))
        let unknown = window.complete(client: 0, token: 9)
        #expect(unknown == nil)
        let completed = window.complete(client: 0, token: 1)
        let done = try #require(completed)
        #expect(done.messageID == 2)
        #expect(window.hasRoom(client: 0))
        #expect(window.totalInFlight == 1)
    }

    @Test("RFC 7252 §4.2: first timeout 2–3 s, then doubled; given up after MAX_RETRANSMIT = 4")
    func retransmissionSchedule() {
        var window = ConfirmableWindow(clients: 1, window: 1)
        window.occupy(client: 0, request: request(0), now: 0)
        var sentAt: [UInt64] = []
        var now: UInt64 = 0
        var abandoned = 0
        // Step through 100 s in 10 ms steps: enough for 2 + 4 + 8 + 16 + 32 s (×1.5 at most) = 93 s.
        let step: UInt64 = 10_000_000
        while now < 100 * second, abandoned == 0 {
            now += step
            let result = window.retransmit(now: now) { _, _ in
                sentAt.append(now)
                return true
            }
            abandoned += result.abandoned
        }
        #expect(sentAt.count == 4)
        #expect(abandoned == 1)
        #expect(window.totalInFlight == 0)
        if sentAt.count == 4 {
            #expect(sentAt[0] >= 2 * second && sentAt[0] <= 3 * second + step)
            // Each wait doubles the one before; a retransmission goes at the first
            // step past its deadline, so each wait is late by less than one step.
            let waits = [Int64(sentAt[0])] + zip(sentAt.dropFirst(), sentAt).map { Int64($0 - $1) }
            for index in 1..<waits.count {
                #expect(abs(waits[index] - 2 * waits[index - 1]) < 2 * Int64(step))
            }
        }
    }

    @Test("RFC 7252 §4.2: an empty ACK stops retransmission; the separate response still completes")
    func emptyAcknowledgementStopsRetransmission() {
        var window = ConfirmableWindow(clients: 1, window: 1)
        window.occupy(client: 0, request: request(0), now: 0)
        window.acknowledged(client: 0, messageID: 1)
        let result = window.retransmit(now: 200 * second) { _, _ in true }
        #expect(result.retransmitted == 0 && result.abandoned == 0)
        let completed = window.complete(client: 0, token: 0)
        #expect(completed != nil)
    }
}
